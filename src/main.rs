mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use auth0_migrate::catalogue::Catalogue;
use auth0_migrate::report::rules;
use auth0_migrate::run::{self, EXIT_CLEAN, EXIT_ERROR};
use clap::Parser;
use cli::{Cli, Command, RulesFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => run::run(&args.options(false, false), false),
        Command::Fix(args) => run::run(&args.common.options(args.unsafe_fixes, args.diff), true),
        Command::Rules { output_format } => {
            let catalogue = Catalogue::get();
            let mut out = io::stdout().lock();
            let written = match output_format {
                RulesFormat::Human => rules::table(&mut out, catalogue),
                RulesFormat::Json => rules::json(&mut out, catalogue),
                RulesFormat::Markdown => rules::markdown_table(&mut out, catalogue),
            };
            finish(written.and_then(|_| out.flush()))
        }
        Command::Rule { code } => match Catalogue::get().rule(&code) {
            Some(rule) => {
                let mut out = io::stdout().lock();
                finish(rules::page(&mut out, rule).and_then(|_| out.flush()))
            }
            None => {
                eprintln!("error: unknown rule `{code}` (see `auth0-migrate rules`)");
                EXIT_ERROR
            }
        },
    };
    ExitCode::from(code as u8)
}

fn finish(result: io::Result<()>) -> i32 {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
        _ => EXIT_CLEAN,
    }
}
