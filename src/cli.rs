//! Command-line arguments.

use std::path::PathBuf;

use auth0_migrate::lint::DEFAULT_MAX_FILE_SIZE;
use auth0_migrate::report::OutputFormat;
use auth0_migrate::run::{ColorChoice, Options};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find and rewrite code that uses deprecated Auth0 features: /oauth/ro, /delegation,
/// ID tokens as Management API credentials, and more (see `auth0-migrate rules`).
#[derive(Parser)]
#[command(name = "auth0-migrate", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Report deprecated Auth0 usage (exit 0: none, 1: findings, 2: error).
    Check(CommonArgs),
    /// Rewrite deprecated usage to the documented replacement.
    Fix(FixArgs),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        output_format: RulesFormat,
    },
    /// Explain one rule: what it finds, why, the replacement, its SDK table.
    Rule {
        /// A rule code, e.g. RO001.
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
    /// The README's rule table.
    Markdown,
}

#[derive(Args)]
pub struct CommonArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Only these rules: codes or families (RO001,DL), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: codes or families, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub output_format: OutputFormat,
    /// Also check ignored, hidden and vendored files (node_modules, vendor, ...).
    #[arg(long)]
    pub no_ignore: bool,
    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print findings only: no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write nothing; print a unified diff of the changes.
    #[arg(long)]
    pub diff: bool,
    /// Also apply fixes that change behaviour or need a tenant change too.
    #[arg(long)]
    pub unsafe_fixes: bool,
}

impl CommonArgs {
    pub fn options(self, unsafe_fixes: bool, diff: bool) -> Options {
        let threads = self.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Options {
            paths: self.paths,
            select: self.select,
            ignore: self.ignore,
            format: self.output_format,
            no_ignore: self.no_ignore,
            exit_zero: self.exit_zero,
            quiet: self.quiet,
            max_file_size: self.max_file_size,
            threads,
            color: self.color,
            unsafe_fixes,
            diff,
        }
    }
}
