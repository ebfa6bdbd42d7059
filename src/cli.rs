//! Command-line arguments.

use std::path::PathBuf;

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
    /// Files or directories to check [default: .].
    pub paths: Vec<PathBuf>,
    /// Only these rules: codes or families (RO001,DL), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: codes or families, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Output format [default: human, or github under GitHub Actions].
    #[arg(long, value_enum)]
    pub output_format: Option<OutputFormat>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Use this configuration file instead of the nearest auth0-migrate.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Also check ignored, hidden and excluded files (node_modules, vendor, ...).
    #[arg(long)]
    pub no_ignore: bool,
    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print findings only: no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// With `fix`: list the fixes applied to each file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Skip files larger than this many bytes [default: 10 MiB, or the configuration's].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Worker threads [default: one per core].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Colour the human output [default: auto, which honours NO_COLOR].
    #[arg(long, value_enum)]
    pub color: Option<ColorChoice>,
    /// Read the source from standard input and report it under this name (`fix` prints
    /// the fixed source).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Check only shard K of N (K/N, 1-based): a stable split of the files across CI jobs.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, e.g. 2/4")?;
    let k: usize = k.trim().parse().map_err(|_| format!("`{k}` is not a number"))?;
    let n: usize = n.trim().parse().map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok((k, n))
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
            output_file: self.output_file,
            config: self.config,
            isolated: self.isolated,
            no_ignore: self.no_ignore,
            exit_zero: self.exit_zero,
            quiet: self.quiet,
            statistics: self.statistics,
            show_fixes: self.show_fixes,
            max_file_size: self.max_file_size,
            threads,
            color: self.color,
            unsafe_fixes,
            diff,
            stdin_filename: self.stdin_filename,
            baseline: self.baseline,
            write_baseline: self.write_baseline,
            shard: self.shard,
        }
    }
}
