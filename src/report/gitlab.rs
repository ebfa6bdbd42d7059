//! GitLab Code Quality: a JSON array of issues with stable fingerprints, shown in merge
//! requests (`artifacts: reports: codequality`).

use std::io::{self, Write};

use serde::Serialize;

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    let mut issues = Vec::new();
    for file in files {
        let locator = Locator::new(file.text);
        for (finding, fingerprint) in file.findings.iter().zip(&file.fingerprints) {
            let (start, end) = locator.range(finding.span);
            let name = catalogue.rule(&finding.code).map_or("", |r| r.name.as_str());
            issues.push(Issue {
                description: format!("{}: {}", finding.code, finding.message),
                check_name: format!("{} {name}", finding.code),
                fingerprint: fingerprint.clone(),
                severity: match finding.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path: crate::baseline::normalize_path(std::path::Path::new(&file.path)),
                    lines: Lines { begin: start.line, end: end.line },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
