//! JavaScript and TypeScript: tree-sitter grammars, the facts query, and JavaScript's
//! escape sequences.

use std::sync::OnceLock;

use super::treesitter::Grammar;
use super::Language;

const JS_QUERY: &str = include_str!("queries/javascript.scm");
const TS_QUERY: &str = include_str!("queries/typescript.scm");
/// `<Payload>{...}` casts exist in .ts files only; TSX reads them as elements.
const TS_ASSERTION_QUERY: &str = "(type_assertion) @unwrap";
/// Untyped parameters are plain names in JavaScript only (TypeScript wraps each in a
/// `required_parameter`: see typescript.scm).
const JS_PARAMS_QUERY: &str = "(formal_parameters (identifier) @param.name)
(formal_parameters (assignment_pattern left: (identifier) @param.name))";

pub(super) fn grammar(lang: Language) -> &'static Grammar {
    static JS: OnceLock<Grammar> = OnceLock::new();
    static TS: OnceLock<Grammar> = OnceLock::new();
    static TSX: OnceLock<Grammar> = OnceLock::new();
    match lang {
        Language::JavaScript => {
            JS.get_or_init(|| build(tree_sitter_javascript::LANGUAGE.into(), format!("{JS_QUERY}\n{JS_PARAMS_QUERY}")))
        }
        Language::TypeScript => TS.get_or_init(|| {
            build(
                tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                format!("{JS_QUERY}\n{TS_QUERY}\n{TS_ASSERTION_QUERY}"),
            )
        }),
        Language::Tsx => {
            TSX.get_or_init(|| build(tree_sitter_typescript::LANGUAGE_TSX.into(), format!("{JS_QUERY}\n{TS_QUERY}")))
        }
        other => unreachable!("{other:?} is not JavaScript"),
    }
}

fn build(language: tree_sitter::Language, query: String) -> Grammar {
    Grammar::new(language, &query, unescape, None)
        .with_pair_separator(": ")
        .with_concatenation(" + ")
        .with_env_lookup("process.env.{name}")
        .with_extra(facts)
}

/// Facts the query cannot express: whether the file runs in a browser or a mobile app.
fn facts(_tree: &tree_sitter::Tree, text: &str, model: &mut crate::model::FileModel) {
    model.client_side |= runs_client_side(text);
}

/// True when the code runs in a browser or a React Native app: it uses the page
/// (`window.`, `document.`, storage), a browser or mobile SDK or UI framework, or says
/// `'use client'`; and nothing says it is server code (Node modules, Express, Next.js
/// data functions, `'use server'`, Auth0 Actions).
pub(super) fn runs_client_side(text: &str) -> bool {
    const CLIENT: &[&str] = &[
        "'use client'",
        "\"use client\"",
        "window.",
        "document.",
        "localStorage",
        "sessionStorage",
        "react-native",
        "@auth0/auth0-react",
        "@auth0/auth0-spa-js",
        "@auth0/auth0-angular",
        "@auth0/auth0-vue",
        "'auth0-js'",
        "\"auth0-js\"",
        "'auth0-lock'",
        "\"auth0-lock\"",
        "auth0.WebAuth",
        "Auth0Lock",
        "createAuth0Client",
        "@angular/core",
        "from 'react'",
        "from \"react\"",
        "from 'vue'",
        "from \"vue\"",
    ];
    const SERVER: &[&str] = &[
        "'use server'",
        "\"use server\"",
        "'express'",
        "\"express\"",
        "getServerSideProps",
        "getStaticProps",
        "require('http')",
        "require('https')",
        "require('fs')",
        "from 'fs'",
        "from 'http'",
        "from 'https'",
        "node:",
        "process.argv",
        "onExecutePostLogin",
        "require('auth0')",
        "from 'auth0'",
        "passport",
    ];
    CLIENT.iter().any(|m| text.contains(m)) && !SERVER.iter().any(|m| text.contains(m))
}

/// Decodes one JavaScript escape sequence.
fn unescape(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('\\')?;
    let mut chars = body.chars();
    let first = chars.next()?;
    let decoded = match first {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        '0' if body.len() == 1 => '\0',
        '\n' | '\r' => return Some(String::new()), // line continuation
        'x' => char::from_u32(u32::from_str_radix(&body[1..], 16).ok()?)?,
        'u' => {
            let hex = body[1..].trim_start_matches('{').trim_end_matches('}');
            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
        }
        other => other,
    };
    Some(decoded.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    fn lower(src: &str) -> crate::model::FileModel {
        Language::JavaScript.lower(src).unwrap()
    }

    #[test]
    fn every_grammar_compiles_its_query() {
        for lang in [Language::JavaScript, Language::TypeScript, Language::Tsx] {
            assert!(lang.lower("x = 1;").is_ok(), "{lang:?}");
        }
    }

    #[test]
    fn unescapes_javascript_sequences() {
        assert_eq!(unescape("\\/").as_deref(), Some("/"));
        assert_eq!(unescape("\\u0041").as_deref(), Some("A"));
        assert_eq!(unescape("\\u{1F600}").as_deref(), Some("😀"));
        assert_eq!(unescape("\\x41").as_deref(), Some("A"));
        assert_eq!(unescape("\\n").as_deref(), Some("\n"));
    }

    #[test]
    fn concatenation_and_templates_are_one_value() {
        let m = lower("fetch('https://' + domain + '/oauth/ro', {});\nfetch(`https://${domain}/oauth/ro`);");
        let texts: Vec<String> = m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect();
        assert!(texts.contains(&"https://\u{FFFC}/oauth/ro".to_string()), "{texts:?}");
        assert_eq!(texts.iter().filter(|t| t.ends_with("/oauth/ro")).count(), 2);
    }

    #[test]
    fn constants_are_spliced_with_their_own_spans() {
        let src = "const RO = '/oauth/ro';\nfetch(BASE + RO);";
        let m = lower(src);
        let used = m.strings.iter().find(|s| s.text() == "\u{FFFC}/oauth/ro").expect("spliced");
        let (lit, a, b) = used.locate(3, 3 + "/oauth/ro".len()).unwrap();
        assert!(lit.from_binding());
        assert_eq!(&src[lit.source_span(a, b).range()], "/oauth/ro");
    }

    #[test]
    fn escapes_map_back_to_source() {
        let src = r#"x = "https:\/\/t.auth0.com\/oauth\/ro";"#;
        let m = lower(src);
        let s = &m.strings[0];
        assert_eq!(s.text(), "https://t.auth0.com/oauth/ro");
        let at = s.text().find("ro").unwrap();
        let (lit, a, b) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "ro");
    }

    #[test]
    fn objects_calls_and_json_in_strings() {
        let src = r#"axios.post(url, { grant_type: 'password', "connection": c, device });
req.send('{"grant_type":"password","connection":"db"}');"#;
        let m = lower(src);
        let call = m.calls.iter().find(|c| c.callee == "axios.post").unwrap();
        assert_eq!(call.args.len(), 2);
        let Value::Object(id) = call.args[1].value else { panic!() };
        let keys: Vec<&str> = m.objects[id].entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "device"]);
        assert_eq!(&src[m.objects[id].entries[1].key_span.range()], "connection");
        let json = m.objects.iter().find(|o| o.kind == crate::model::ObjectKind::Json).expect("json body");
        let grant = json.get("grant_type").unwrap();
        assert_eq!(&src[grant.key_span.range()], "grant_type");
        let Value::String(v) = grant.value else { panic!() };
        let (lit, a, b) = m.strings[v].locate(0, 8).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "password");
    }

    #[test]
    fn code_facts_functions_accesses_names_and_statements() {
        use crate::model::StatementKind;
        let src = "function rule(user, context, cb = null) {\n  const ns = 'https://x/';\n  context.idToken[ns + 'a'] = user.app_metadata.roles;\n  if (context.protocol === 'redirect-callback') { return cb(null, user); }\n  delete context.idToken.email;\n  p.then((r) => cb(r));\n  x += 1;\n}\n";
        let m = lower(src);
        let text = |s: crate::source::Span| &src[s.range()];

        let f = &m.functions[0];
        assert_eq!(f.name.as_deref(), Some("rule"));
        let params: Vec<Option<&str>> = f.params.iter().map(|p| p.name.as_deref()).collect();
        assert_eq!(params, [Some("user"), Some("context"), Some("cb")]);
        assert!(text(f.body).starts_with('{') && !f.expression_body);
        let arrow = &m.functions[1];
        assert!(arrow.expression_body);
        assert_eq!(text(arrow.body), "cb(r)");
        assert_eq!(arrow.params[0].name.as_deref(), Some("r"));

        let claim = m.accesses.iter().find(|a| a.path() == "context.idToken[]").expect("whole chain");
        assert_eq!(text(claim.span), "context.idToken[ns + 'a']");
        assert_eq!(text(claim.segments[1].span), "ns + 'a'");
        assert_eq!(text(claim.root_span), "context");
        assert!(claim.root_is_name);
        assert!(m.accesses.iter().any(|a| a.path() == "user.app_metadata.roles"));
        // Inner prefixes are not chains of their own.
        assert!(!m.accesses.iter().any(|a| a.path() == "context.idToken"));

        let names: Vec<&str> = m.names.iter().map(|n| n.text.as_str()).collect();
        assert!(names.contains(&"ns") && names.contains(&"cb") && !names.contains(&"rule"));
        let declared: Vec<&str> = m.declarations.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(declared, ["rule", "user", "context", "cb", "ns", "r"]);

        let assigns: Vec<(&str, &str, &str)> =
            m.assignments.iter().map(|a| (text(a.target), a.operator.as_str(), text(a.value))).collect();
        assert_eq!(assigns, [("context.idToken[ns + 'a']", "=", "user.app_metadata.roles"), ("x", "+=", "1")]);
        assert_eq!(text(m.deletions[0].target), "context.idToken.email");
        let compare = &m.comparisons[0];
        assert_eq!(
            (text(compare.left), text(compare.right), compare.negated),
            ("context.protocol", "'redirect-callback'", false)
        );

        let branch = m.statements.iter().find(|s| matches!(s.kind, StatementKind::Branch { .. })).unwrap();
        let StatementKind::Branch { condition, then, otherwise } = branch.kind else { unreachable!() };
        assert_eq!(text(condition), "context.protocol === 'redirect-callback'");
        assert_eq!(text(then), "{ return cb(null, user); }");
        assert!(otherwise.is_none());
        let ret = m.statements.iter().find(|s| matches!(s.kind, StatementKind::Return(_))).unwrap();
        assert_eq!(
            ret.kind,
            StatementKind::Return(Some(crate::source::Span::new(
                src.find("cb(null").unwrap(),
                src.find("cb(null").unwrap() + "cb(null, user)".len()
            )))
        );
        assert!(m
            .statements
            .iter()
            .any(|s| s.kind == StatementKind::Declaration && text(s.span) == "const ns = 'https://x/';"));
        assert_eq!(m.function_of(claim.span), Some(0));
    }

    #[test]
    fn typescript_parameters_have_names_too() {
        let m = Language::TypeScript
            .lower("const f = async (user: User, context?: Ctx, cb: Cb = noop): Promise<void> => {};")
            .unwrap();
        let params: Vec<Option<&str>> = m.functions[0].params.iter().map(|p| p.name.as_deref()).collect();
        assert_eq!(params, [Some("user"), Some("context"), Some("cb")]);
    }

    #[test]
    fn browser_and_mobile_code_is_client_side() {
        assert!(runs_client_side("import auth0 from 'auth0-js';\nconst w = new auth0.WebAuth({});"));
        assert!(runs_client_side("localStorage.setItem('a', b);"));
        assert!(runs_client_side("import Auth0 from 'react-native-auth0';"));
        assert!(!runs_client_side("const express = require('express');\nwindow.x = 1;"));
        assert!(!runs_client_side("const { ManagementClient } = require('auth0');"));
        let m = lower("const secret = 'x';");
        assert!(!m.client_side);
        assert_eq!(m.env_lookup, Some("process.env.{name}"));
        assert!(lower("document.title = 'x';").client_side);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 5000;
        let src = format!("x = {}1{};\ny = {};", "(".repeat(depth), ")".repeat(depth), vec!["'a'"; depth].join(" + "));
        let m = lower(&src);
        assert!(m.strings.iter().any(|s| s.text().len() == depth));
    }
}
