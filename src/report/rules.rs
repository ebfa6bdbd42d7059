//! The catalogue as text: `auth0-migrate rules` (a table), `auth0-migrate rule CODE`
//! (a rule's page) and the README's rule table, all from `rules/*.toml`.

use std::io::{self, Write};

use crate::catalogue::{Catalogue, Rule};

pub fn table(out: &mut dyn Write, catalogue: &Catalogue) -> io::Result<()> {
    let name_width = catalogue.rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    writeln!(out, "{:<6} {:<name_width$} {:<8} {:<7} SUMMARY", "CODE", "NAME", "SEVERITY", "FIX")?;
    for rule in &catalogue.rules {
        writeln!(
            out,
            "{:<6} {:<name_width$} {:<8} {:<7} {}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.fix.as_str(),
            rule.summary
        )?;
    }
    Ok(())
}

/// The README's rule table (Markdown).
pub fn markdown_table(out: &mut dyn Write, catalogue: &Catalogue) -> io::Result<()> {
    writeln!(out, "| Code | Name | Severity | Fix | What it finds | Guide |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for rule in &catalogue.rules {
        writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.fix.as_str(),
            rule.summary.replace('|', "\\|"),
            rule.guide_title
        )?;
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, catalogue: &Catalogue) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = catalogue
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code, "name": r.name, "family": r.family, "severity": r.severity.as_str(),
                "fix": r.fix.as_str(), "summary": r.summary, "guide": r.guide, "guide_title": r.guide_title,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rules)?;
    writeln!(out)
}

/// One rule's page.
pub fn page(out: &mut dyn Write, rule: &Rule) -> io::Result<()> {
    writeln!(out, "{} {} ({}, fix: {})", rule.code, rule.name, rule.severity.as_str(), rule.fix.as_str())?;
    writeln!(out, "{}", rule.summary)?;
    writeln!(out, "Guide {}: {}", rule.guide, rule.guide_title)?;
    section(out, "Why", &rule.why)?;
    section(out, "Replacement", &rule.replacement)?;
    section(out, "Fix safety", &rule.fix_safety)?;
    writeln!(out, "\nExample ({})\n\n  Before:", rule.example.language)?;
    for line in rule.example.before.trim_end().lines() {
        writeln!(out, "    {line}")?;
    }
    writeln!(out, "\n  After:")?;
    for line in rule.example.after.trim_end().lines() {
        writeln!(out, "    {line}")?;
    }
    if !rule.sdk.is_empty() {
        writeln!(out, "\nSDK methods")?;
        for row in &rule.sdk {
            let call = if row.new { format!("new {}", row.call) } else { row.call.clone() };
            let fix = row.fix.as_ref().map_or("manual".to_string(), |f| f.safety.as_str().to_string());
            writeln!(out, "  - {} {} ({}): `{}` → {}", row.sdk, row.versions, row.language, call, row.endpoint)?;
            writeln!(out, "      replacement: {} [fix: {fix}]", row.replacement)?;
        }
    }
    if !rule.package.is_empty() {
        writeln!(out, "\nPackages of deprecated generations")?;
        for row in &rule.package {
            let versions = row.below.as_ref().map_or("every version".to_string(), |v| format!("< {v}"));
            let used = if row.when_used.is_empty() {
                String::new()
            } else {
                format!(", when the project calls its removed methods ({})", row.when_used.join(", "))
            };
            writeln!(out, "  - {} `{}` {versions}{used}: {} → {}", row.ecosystem, row.name, row.sdk, row.target)?;
            writeln!(out, "      {} ({})", row.changes, row.guide)?;
        }
    }
    if !rule.cdn.is_empty() {
        writeln!(out, "\nCDN scripts of deprecated generations")?;
        for row in &rule.cdn {
            writeln!(out, "  - `{}`: {} → {}", row.url, row.sdk, row.target)?;
        }
    }
    if !rule.mapping.is_empty() || !rule.assignment.is_empty() {
        writeln!(out, "\nMappings ([O] Auth0's migration page, [R] derived from Auth0's references)")?;
        for row in &rule.mapping {
            writeln!(out, "  - `{}` → `{}` [{}]", row.from, row.to, row.source)?;
        }
        for row in &rule.assignment {
            let to = row.call.clone().or_else(|| row.kind.as_ref().map(|k| format!("({k})"))).unwrap_or_default();
            writeln!(out, "  - `{} = {{value}}` → `{}` [{}]", row.target, to, row.source)?;
        }
    }
    if !rule.unsupported.is_empty() {
        writeln!(out, "\nNo equivalent (reported, never rewritten)")?;
        for row in &rule.unsupported {
            writeln!(out, "  - `{}`: {} [{}]", row.construct, row.note.trim(), row.source)?;
        }
    }
    if !rule.references.is_empty() {
        writeln!(out, "\nReferences")?;
        for reference in &rule.references {
            writeln!(out, "  - {reference}")?;
        }
    }
    Ok(())
}

fn section(out: &mut dyn Write, title: &str, body: &str) -> io::Result<()> {
    writeln!(out, "\n{title}\n")?;
    for line in body.trim().lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}
