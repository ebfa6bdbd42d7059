//! JUnit XML: a test suite per file, a failing test case per finding, so any CI that
//! shows test reports shows the findings.

use std::io::{self, Write};

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    let total: usize = files.iter().map(|f| f.findings.len()).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="auth0-migrate" tests="{}" failures="{total}">"#, total.max(1))?;
    if files.is_empty() {
        writeln!(out, r#"  <testsuite name="auth0-migrate" tests="1" failures="0">"#)?;
        writeln!(out, r#"    <testcase name="no deprecated Auth0 usage" classname="auth0-migrate"/>"#)?;
        writeln!(out, "  </testsuite>")?;
    }
    for file in files {
        let locator = Locator::new(file.text);
        let path = escape(&file.path);
        writeln!(out, r#"  <testsuite name="{path}" tests="{n}" failures="{n}">"#, n = file.findings.len())?;
        for finding in file.findings {
            let at = locator.position(finding.span.start);
            let name = catalogue.rule(&finding.code).map_or("", |r| r.name.as_str());
            writeln!(
                out,
                r#"    <testcase name="{} {} at {}:{}" classname="{path}">"#,
                finding.code,
                escape(name),
                at.line,
                at.column
            )?;
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}:{}:{}: {}"#,
                finding.code,
                escape(&finding.message),
                path,
                at.line,
                at.column,
                escape(&finding.message)
            )?;
            writeln!(out, "{}</failure>", escape(&finding.help))?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
