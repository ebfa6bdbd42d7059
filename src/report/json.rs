//! The JSON contract: one array of findings. CI tools parse it; keep it stable.
//!
//! ```json
//! {"code": "RO001", "name": "oauth-ro-endpoint", "severity": "error", "path": "src/a.js",
//!  "start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 10},
//!  "message": "...", "help": "...",
//!  "fix": null | {"safety": "safe|unsafe", "message": "...",
//!                 "edits": [{"start": {...}, "end": {...}, "content": "..."}]}}
//! ```
//! Lines and columns are 1-based; columns count characters.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;
use crate::source::Position;

#[derive(Serialize)]
pub struct JsonFinding {
    pub code: String,
    pub name: String,
    pub severity: &'static str,
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub help: String,
    pub fix: Option<JsonFix>,
}

#[derive(Serialize)]
pub struct JsonFix {
    pub safety: &'static str,
    pub message: String,
    pub edits: Vec<JsonEdit>,
    /// Files the fix creates, relative to the directory of the file it fixes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub creates: Vec<JsonNewFile>,
}

#[derive(Serialize)]
pub struct JsonNewFile {
    pub path: String,
    pub contents: String,
}

#[derive(Serialize)]
pub struct JsonEdit {
    pub start: Position,
    pub end: Position,
    pub content: String,
}

pub fn findings(files: &[FileFindings], catalogue: &Catalogue) -> Vec<JsonFinding> {
    let mut out = Vec::new();
    for file in files {
        let locator = Locator::new(file.text);
        for finding in file.findings {
            let (start, end) = locator.range(finding.span);
            out.push(JsonFinding {
                code: finding.code.clone(),
                name: catalogue.rule(&finding.code).map(|r| r.name.clone()).unwrap_or_default(),
                severity: finding.severity.as_str(),
                path: file.path(),
                start,
                end,
                message: finding.message.clone(),
                help: finding.help.clone(),
                fix: finding.fix.as_ref().map(|fix| JsonFix {
                    safety: fix.safety.as_str(),
                    message: fix.message.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| {
                            let (start, end) = locator.range(e.span);
                            JsonEdit { start, end, content: e.content.clone() }
                        })
                        .collect(),
                    creates: fix
                        .creates
                        .iter()
                        .map(|c| JsonNewFile { path: c.path.display().to_string(), contents: c.contents.clone() })
                        .collect(),
                }),
            });
        }
    }
    out
}

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &findings(files, catalogue))?;
    writeln!(out)
}

/// One finding per line, each a JSON object of the same shape as in the array.
pub fn write_lines(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    for finding in findings(files, catalogue) {
        serde_json::to_writer(&mut *out, &finding)?;
        writeln!(out)?;
    }
    Ok(())
}
