//! SARIF 2.1.0: rule descriptors generated from `rules/`, results with their fixes and
//! fingerprints. Columns are counted in Unicode code points, as the run declares.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;
use crate::finding::Severity;
use crate::source::Span;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` separators, everything but unreserved
/// characters percent-encoded.
pub fn uri(path: &str) -> String {
    let path = crate::baseline::normalize_path(std::path::Path::new(path));
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

pub fn log(files: &[FileFindings], catalogue: &Catalogue) -> Value {
    let rules: Vec<Value> = catalogue
        .rules
        .iter()
        .map(|rule| {
            let mut descriptor = json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.why.trim()},
                "help": {
                    "text": format!("{}\n\nFix safety: {}", rule.replacement.trim(), rule.fix_safety.trim()),
                    "markdown": format!("**Replacement**\n\n{}\n\n**Fix safety**\n\n{}", rule.replacement.trim(), rule.fix_safety.trim()),
                },
                "defaultConfiguration": {"level": level(rule.severity)},
                "properties": {"tags": ["auth0", rule.family.as_str()], "fix": rule.fix.as_str()},
            });
            if let Some(uri) = rule.help_uri() {
                descriptor["helpUri"] = json!(uri);
            }
            descriptor
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let locator = Locator::new(file.text);
        let region = |span: Span| {
            let (start, end) = locator.range(span);
            json!({"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column})
        };
        let location = json!({"uri": uri(&file.path)});
        for (finding, fingerprint) in file.findings.iter().zip(&file.fingerprints) {
            let mut result = json!({
                "ruleId": finding.code,
                "level": level(finding.severity),
                "message": {"text": format!("{}\n{}", finding.message, finding.help)},
                "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(finding.span)}}],
                "partialFingerprints": {"auth0Migrate/v1": fingerprint},
            });
            if let Some(index) = catalogue.rules.iter().position(|r| r.code == finding.code) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(fix) = &finding.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| json!({"deletedRegion": region(e.span), "insertedContent": {"text": e.content}}))
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": format!("{} ({} fix)", fix.message, fix.safety.as_str())},
                    "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "auth0-migrate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(files, catalogue))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./src/a b/é.js"), "src/a%20b/%C3%A9.js");
    }
}
