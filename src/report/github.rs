//! GitHub Actions workflow commands: each finding becomes an annotation on the pull
//! request (`::error file=...,line=...,col=...,title=...::message`).

use std::io::{self, Write};

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;
use crate::finding::Severity;

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    for file in files {
        let locator = Locator::new(file.text);
        for finding in file.findings {
            let (start, end) = locator.range(finding.span);
            let level = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let name = catalogue.rule(&finding.code).map_or("", |r| r.name.as_str());
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&file.path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} {name}", finding.code)),
                escape_data(&format!("{} ({})\n{}", finding.message, finding.code, finding.help)),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
