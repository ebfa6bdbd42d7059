//! One line per finding: `path:line:col: CODE message`, with `[*]` when `fix` applies
//! and `[*unsafe]` when it needs `--unsafe-fixes`.

use std::io::{self, Write};

use super::{FileFindings, Locator};
use crate::finding::Safety;

pub fn write(out: &mut dyn Write, files: &[FileFindings]) -> io::Result<()> {
    for file in files {
        let locator = Locator::new(file.text);
        for finding in file.findings {
            let at = locator.position(finding.span.start);
            let mark = match finding.fix.as_ref().map(|f| f.safety) {
                Some(Safety::Safe) => " [*]",
                Some(Safety::Unsafe) => " [*unsafe]",
                _ => "",
            };
            writeln!(out, "{}:{}:{}: {}{mark} {}", file.path, at.line, at.column, finding.code, finding.message)?;
        }
    }
    Ok(())
}
