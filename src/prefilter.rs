//! The trigger prefilter: one Aho–Corasick automaton over every selected rule's trigger
//! literals. A file that contains none of them is never parsed, and a rule whose
//! triggers are absent from a file does not run on it.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::catalogue::Catalogue;

pub struct Prefilter {
    automaton: AhoCorasick,
    /// For each pattern, the rules it triggers.
    rules: Vec<Vec<&'static str>>,
}

impl Prefilter {
    pub fn new(catalogue: &'static Catalogue, selected: &HashSet<&'static str>) -> Prefilter {
        let mut patterns: Vec<String> = Vec::new();
        let mut rules: Vec<Vec<&'static str>> = Vec::new();
        for rule in catalogue.rules.iter().filter(|r| selected.contains(r.code.as_str())) {
            for trigger in &rule.triggers {
                let trigger = trigger.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == trigger) {
                    Some(i) => rules[i].push(rule.code.as_str()),
                    None => {
                        patterns.push(trigger);
                        rules.push(vec![rule.code.as_str()]);
                    }
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A full DFA: with over a hundred triggers, many starting with common bytes,
            // the automaton's own skip loop rarely applies and every byte is a transition.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("trigger literals build an automaton");
        Prefilter { automaton, rules }
    }

    /// The rules with at least one trigger in `haystack`; empty when the file can be
    /// skipped.
    pub fn active_rules(&self, haystack: &[u8]) -> HashSet<&'static str> {
        let mut seen = vec![false; self.rules.len()];
        let mut remaining = self.rules.len();
        let mut active = HashSet::new();
        for m in self.automaton.find_overlapping_iter(haystack) {
            let i = m.pattern().as_usize();
            if !seen[i] {
                seen[i] = true;
                remaining -= 1;
                active.extend(self.rules[i].iter().copied());
                if remaining == 0 {
                    break;
                }
            }
        }
        active
    }
}
