//! Human output: each finding as an ariadne diagnostic with the source snippet, a label
//! on the exact span, the documented replacement as help, and the fix as a preview.

use std::io::{self, Write};

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};

use super::FileFindings;
use crate::catalogue::Catalogue;
use crate::finding::{apply_edits, Edit, Finding, Fix, Severity};
use crate::source::{LineIndex, Span};

/// Lines of a fix preview shown before it is cut.
const PREVIEW_LINES: usize = 12;

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue, color: bool) -> io::Result<()> {
    for file in files {
        let path = file.path();
        let text = file.text;
        let index = LineIndex::new(text);
        let mut previewed: Vec<(&Fix, &Finding)> = Vec::new();
        for finding in file.findings {
            let kind = match finding.severity {
                Severity::Error => ReportKind::Error,
                Severity::Warning => ReportKind::Warning,
                Severity::Info => ReportKind::Advice,
            };
            let label_color = match finding.severity {
                Severity::Error => Color::Red,
                Severity::Warning => Color::Yellow,
                Severity::Info => Color::Cyan,
            };
            let span = finding.span.range();
            let label = catalogue.rule(&finding.code).map_or_else(|| finding.code.clone(), |r| r.summary.clone());
            let mut report = Report::build(kind, (path.as_str(), span.clone()))
                .with_config(Config::default().with_index_type(IndexType::Byte).with_color(color))
                .with_code(&finding.code)
                .with_message(&finding.message)
                .with_label(Label::new((path.as_str(), span)).with_message(label).with_color(label_color))
                .with_help(&finding.help);
            report = match &finding.fix {
                Some(fix) => match previewed.iter().find(|(shown, _)| shown.edits == fix.edits) {
                    Some((_, first)) => {
                        let at = index.position(text, first.span.start);
                        report.with_note(format!(
                            "{} fix: the same fix as {} at {}:{}",
                            fix.safety.as_str(),
                            first.code,
                            at.line,
                            at.column
                        ))
                    }
                    None => {
                        previewed.push((fix, finding));
                        report.with_note(preview(text, &index, fix))
                    }
                },
                None => report.with_note("no automatic fix: migrate this by hand"),
            };
            report.finish().write((path.as_str(), Source::from(text)), &mut *out)?;
        }
    }
    Ok(())
}

/// The lines each group of a fix's edits touches, before and after.
fn preview(text: &str, index: &LineIndex, fix: &Fix) -> String {
    // Group edits whose lines touch into hunks.
    let mut hunks: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for edit in &fix.edits {
        let first = index.line_of(edit.span.start);
        let last = index.line_of(edit.span.end.saturating_sub(1).max(edit.span.start));
        match hunks.last_mut() {
            Some(hunk) if first <= hunk.1 + 1 => {
                hunk.1 = hunk.1.max(last);
                hunk.2.push(edit);
            }
            _ => hunks.push((first, last, vec![edit])),
        }
    }
    let mut lines = vec![format!("{} fix: {}", fix.safety.as_str(), fix.message)];
    let mut shown = 0;
    for (i, (first, last, edits)) in hunks.iter().enumerate() {
        if shown >= PREVIEW_LINES {
            lines.push("  ...".to_string());
            break;
        }
        if i > 0 {
            lines.push("  ...".to_string());
        }
        let start = index.line_start(*first);
        let end = if last + 1 < index.line_count() { index.line_start(last + 1) } else { text.len() };
        let shifted: Vec<Edit> = edits
            .iter()
            .map(|e| Edit::replace(Span::new(e.span.start - start, e.span.end - start), e.content.clone()))
            .collect();
        let before = &text[start..end];
        let after = apply_edits(before, &shifted.iter().collect::<Vec<_>>());
        for line in before.lines() {
            lines.push(format!("  - {}", line.trim_end()));
            shown += 1;
        }
        for line in after.lines() {
            lines.push(format!("  + {}", line.trim_end()));
            shown += 1;
        }
    }
    lines.join("\n")
}
