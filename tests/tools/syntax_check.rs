//! Exits with an error when a file has syntax errors for the tool's own parser of the
//! given language: the toolchain check of languages without an installable compiler
//! here (F#). Usage: `syntax-check <language> <file>...`.

use auth0_migrate::lang::Language;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(language) = args.next().as_deref().and_then(Language::from_name) else {
        eprintln!("usage: syntax-check <language> <file>...");
        std::process::exit(2);
    };
    let mut failed = false;
    for path in args {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        match language.syntax_errors(&text) {
            Some(0) => {}
            Some(n) => {
                eprintln!("{path}: {n} syntax error(s)");
                failed = true;
            }
            None => {
                eprintln!("{path}: could not be parsed");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
