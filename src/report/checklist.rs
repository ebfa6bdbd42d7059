//! The migration checklist (`--output-format checklist`): Markdown with the code findings
//! as task items grouped by rule and file, then the tenant-side steps those findings
//! imply, in order. Each rule's steps come from its `[[checklist]]` table in `rules/`;
//! a step that several rules imply is listed once.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

use super::{FileFindings, Locator};
use crate::catalogue::Catalogue;
use crate::lang::Language;
use crate::model::{FileModel, Value};
use crate::source::Span;

pub fn write(out: &mut dyn Write, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    writeln!(out, "# Auth0 migration checklist")?;
    writeln!(out)?;
    let total: usize = files.iter().map(|f| f.findings.len()).sum();
    if total == 0 {
        writeln!(out, "No deprecated Auth0 usage found: nothing to migrate.")?;
        return Ok(());
    }

    // Rule → file → items, in rule order then path order.
    let mut by_rule: BTreeMap<&str, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for file in files {
        let locator = Locator::new(file.text);
        for finding in file.findings {
            let at = locator.position(finding.span.start);
            let fix = match finding.fix.as_ref().map(|f| f.safety) {
                Some(crate::finding::Safety::Safe) => " (fix: `auth0-migrate fix`)",
                Some(crate::finding::Safety::Unsafe) => " (fix: `auth0-migrate fix --unsafe-fixes`)",
                _ => "",
            };
            let item = format!("line {}:{}: {}{fix}", at.line, at.column, one_line(&finding.message));
            by_rule.entry(finding.code.as_str()).or_default().entry(file.path()).or_default().push(item);
        }
    }

    writeln!(out, "## Code")?;
    for (code, per_file) in &by_rule {
        writeln!(out)?;
        match catalogue.rule(code) {
            Some(rule) => writeln!(out, "### {code} {}: {}", rule.name, rule.summary)?,
            None => writeln!(out, "### {code}")?,
        }
        for (path, items) in per_file {
            writeln!(out)?;
            writeln!(out, "`{path}`")?;
            writeln!(out)?;
            for item in items {
                writeln!(out, "- [ ] {item}")?;
            }
        }
    }

    let steps = tenant_steps(files, catalogue);
    writeln!(out)?;
    writeln!(out, "## Tenant-side steps")?;
    writeln!(out)?;
    if steps.is_empty() {
        writeln!(out, "None: the findings above are migrated in code alone.")?;
    } else {
        writeln!(out, "Do these in order, each only once the code findings it depends on are fixed and deployed:")?;
        writeln!(out)?;
        for (i, step) in steps.iter().enumerate() {
            writeln!(out, "{}. [ ] {step}", i + 1)?;
        }
    }
    Ok(())
}

/// The tenant-side steps implied by the findings, ordered and without repeats.
pub fn tenant_steps(files: &[FileFindings], catalogue: &Catalogue) -> Vec<String> {
    let codes: BTreeSet<&str> = files.iter().flat_map(|f| f.findings.iter().map(|x| x.code.as_str())).collect();
    // (order, template) → the rules present that imply it.
    let mut steps: BTreeMap<(u32, &str), Vec<&str>> = BTreeMap::new();
    for code in codes {
        let Some(rule) = catalogue.rule(code) else {
            continue;
        };
        for step in &rule.checklist {
            steps.entry((step.order, step.step.as_str())).or_default().push(code);
        }
    }
    steps
        .into_iter()
        .map(|((_, template), codes)| {
            let mut text = template.to_string();
            if text.contains("{clients}") {
                text = text.replace("{clients}", &exposed_clients(files, &codes));
            }
            if text.contains("{keys}") {
                text = text.replace("{keys}", &reported_keys(files, &codes));
            }
            text
        })
        .collect()
}

/// The clients whose secrets the findings of `codes` expose: their client ids when one is
/// written beside the secret, else the files that hold the secret. Never the secret.
fn exposed_clients(files: &[FileFindings], codes: &[&str]) -> String {
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut unnamed: BTreeSet<String> = BTreeSet::new();
    for file in files {
        let spans: Vec<Span> =
            file.findings.iter().filter(|f| codes.contains(&f.code.as_str())).map(|f| f.span).collect();
        if spans.is_empty() {
            continue;
        }
        let model = Language::detect(Path::new(&file.path), file.text.as_bytes()).and_then(|l| l.lower(file.text).ok());
        for span in spans {
            match model.as_ref().and_then(|m| client_id_beside(m, span)) {
                Some(id) => {
                    ids.insert(format!("client `{id}`"));
                }
                None => {
                    unnamed.insert(format!("`{}`", file.path));
                }
            }
        }
    }
    let mut parts: Vec<String> = ids.into_iter().collect();
    if !unnamed.is_empty() {
        let list: Vec<String> = unnamed.into_iter().collect();
        parts.push(format!("the client whose secret is in {}", list.join(", ")));
    }
    parts.join(", ")
}

/// The keys of the entries the findings of `codes` are reported on (TF001: the flags), as
/// a list: `` `allow_legacy_ro_grant_types` ``, ...
fn reported_keys(files: &[FileFindings], codes: &[&str]) -> String {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for file in files {
        let spans: Vec<Span> =
            file.findings.iter().filter(|f| codes.contains(&f.code.as_str())).map(|f| f.span).collect();
        if spans.is_empty() {
            continue;
        }
        let Some(model) =
            Language::detect(Path::new(&file.path), file.text.as_bytes()).and_then(|l| l.lower(file.text).ok())
        else {
            continue;
        };
        for object in &model.objects {
            for entry in object.entries.iter().filter(|e| spans.contains(&e.span)) {
                keys.insert(format!("`{}`", entry.key));
            }
        }
    }
    match keys.len() {
        0 => "every legacy flag".to_string(),
        _ => keys.into_iter().collect::<Vec<_>>().join(", "),
    }
}

/// The literal client id written in the innermost object that holds `span` (the secret's
/// entry or value): `client_id`, `clientId`, `clientID`, `AUTH0_CLIENT_ID`, ...
fn client_id_beside(model: &FileModel, span: Span) -> Option<String> {
    let mut objects: Vec<usize> = (0..model.objects.len()).filter(|&o| model.objects[o].span.contains(span)).collect();
    objects.sort_by_key(|&o| model.objects[o].span.len());
    for object in objects {
        for entry in &model.objects[object].entries {
            let key: String = entry.key.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            if !(key == "clientid" || key.ends_with("clientid")) {
                continue;
            }
            let value = match &entry.value {
                Value::String(_) | Value::Expr(_) => model.string_of(&entry.value),
                _ => None,
            };
            if let Some(text) = value.and_then(|s| s.literal_text()) {
                let text = text.trim();
                if !text.is_empty() && text.len() <= 128 && !text.contains(char::is_whitespace) {
                    return Some(text.to_string());
                }
            }
        }
    }
    None
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
