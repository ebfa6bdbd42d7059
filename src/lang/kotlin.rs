//! Kotlin: the tree-sitter grammar, its facts query, its escape rules, and an extra pass
//! for what the query cannot express: `$name` templates and `\uXXXX` escapes (which the
//! grammar leaves as text in `"..."` strings), trailing lambdas (`client.post(url) { ...
//! }`, `parameters { append(k, v) }`) as arguments, callee paths and receivers through
//! them, and the objects that builder and factory calls make (shared with Java).

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::java::jvm;
use super::treesitter::{callee_path, compact, Grammar};
use crate::model::{Arg, Call, Expr, FileModel, Part, Value};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_kotlin_ng::LANGUAGE.into(),
            include_str!("queries/kotlin.scm"),
            super::escapes::c_like,
            Some(super::treesitter::PRINTF),
        )
        .with_env_lookup(jvm::ENV_LOOKUP)
        .with_extra(extra)
    })
}

fn extra(tree: &Tree, source: &str, model: &mut FileModel) {
    model.client_side |= jvm::runs_on_device(source);
    model.tls_overrides = jvm::tls_overrides(tree, source);
    model.constant_contexts.extend(constants(tree, source));
    let nodes = jvm::nodes_by_kind(tree, &["call_expression", "multiline_string_literal"]);
    let raw: Vec<Span> = nodes
        .keys()
        .filter(|k| k.2 == "multiline_string_literal")
        .map(|&(start, end, _)| Span::new(start, end))
        .collect();
    fix_strings(source, &raw, model);
    let mut calls: Vec<Node> = nodes.iter().filter(|(k, _)| k.2 == "call_expression").map(|(_, n)| *n).collect();
    // Inner calls first: a lambda's statements are lowered before the lambda.
    calls.sort_by_key(|n| (n.end_byte() - n.start_byte(), n.start_byte()));
    let mut builder = jvm::Builder::new(model, source);
    trailing_lambdas(&calls, &mut builder);
    fix_callees(&calls, &mut builder);
    builder.factory_objects();
    builder.chain_objects();
    let groups = statement_groups(tree, source, &builder);
    builder.statement_objects(groups);
    builder.conversions();
    builder.link_endpoints(&service_endpoints(tree, source));
    builder.group_requests();
    builder.apply();
}

/// The values of `const val` declarations, and annotations: only constants may be written there.
fn constants(tree: &Tree, source: &str) -> Vec<Span> {
    let nodes = jvm::nodes_by_kind(tree, &["property_declaration", "annotation"]);
    let mut found = Vec::new();
    for (&(start, end, kind), node) in &nodes {
        if kind == "annotation" {
            found.push(Span::new(start, end));
            continue;
        }
        let is_const = jvm::named_children(*node)
            .into_iter()
            .any(|c| c.kind() == "modifiers" && source[c.byte_range()].split_whitespace().any(|w| w == "const"));
        if let Some(value) = jvm::named_children(*node).into_iter().last().filter(|_| is_const) {
            found.push(Span::new(value.start_byte(), value.end_byte()));
        }
    }
    found
}

/// `"https://$domain/oauth/ro"`: the grammar reads `$domain` as text in single-line
/// strings; it is a hole. `\u0041` likewise is an escape (raw strings have none).
fn fix_strings(source: &str, raw: &[Span], model: &mut FileModel) {
    for string in &mut model.strings {
        if !string.parts.iter().any(|p| matches!(p, Part::Literal(l) if l.text.contains(['$', '\\']))) {
            continue;
        }
        let mut parts = Vec::with_capacity(string.parts.len());
        for part in std::mem::take(&mut string.parts) {
            let Part::Literal(lit) = part else {
                parts.push(part);
                continue;
            };
            let is_raw = raw.iter().any(|r| r.contains(lit.span));
            let chars = jvm::chars_of(&lit);
            let mut current: Vec<jvm::Char> = Vec::new();
            let mut out: Vec<Part> = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let plain = |j: usize| chars.get(j).filter(|c| jvm::verbatim(c, source));
                if c.ch == '\\' && !is_raw && plain(i).is_some() {
                    let hex: Option<String> = (i + 1..i + 6).map(|j| plain(j).map(|c| c.ch)).collect();
                    let decoded = hex.as_deref().and_then(|h| h.strip_prefix('u')).and_then(|h| {
                        (h.len() == 4).then(|| u32::from_str_radix(h, 16).ok().and_then(char::from_u32)).flatten()
                    });
                    if let Some(ch) = decoded {
                        current.push(jvm::Char { ch, start: c.start, end: chars[i + 5].end });
                        i += 6;
                        continue;
                    }
                }
                if c.ch == '$'
                    && plain(i).is_some()
                    && plain(i + 1).is_some_and(|n| n.ch.is_alphabetic() || n.ch == '_')
                {
                    let mut j = i + 1;
                    while plain(j).is_some_and(|n| n.ch.is_alphanumeric() || n.ch == '_') {
                        j += 1;
                    }
                    if !current.is_empty() {
                        out.push(Part::Literal(jvm::literal_from(&current, &lit)));
                        current.clear();
                    }
                    let span = Span::new(chars[i + 1].start, chars[j - 1].end);
                    let text = source[span.range()].to_string();
                    out.push(Part::Hole(Box::new(Value::Expr(Expr { span, text }))));
                    i = j;
                    continue;
                }
                current.push(c);
                i += 1;
            }
            let changed = !out.is_empty() || current.len() != chars.len();
            if !changed {
                parts.push(Part::Literal(lit));
                continue;
            }
            if !current.is_empty() {
                out.push(Part::Literal(jvm::literal_from(&current, &lit)));
            }
            parts.extend(out);
        }
        string.parts = parts;
    }
}

/// A call with a trailing lambda: `client.post(url) { header(...); setBody(...) }` gives
/// `client.post(url)` one more argument, the lambda (the values of its statements);
/// `parameters { append(k, v) }` and `JSONObject().apply { put(k, v) }` become calls.
fn trailing_lambdas(calls: &[Node], builder: &mut jvm::Builder) {
    for &node in calls {
        let children = jvm::named_children(node);
        let Some(annotated) = children.iter().find(|c| c.kind() == "annotated_lambda") else { continue };
        let Some(lambda) = jvm::named_children(*annotated).into_iter().find(|c| c.kind() == "lambda_literal") else {
            continue;
        };
        let Some(callee) = children.iter().find(|c| !c.is_extra()).copied() else { continue };
        let items: Vec<Value> = jvm::named_children(lambda)
            .into_iter()
            .filter(|c| !c.is_extra() && c.kind() != "lambda_parameters")
            .map(|c| builder.value_at(span(c)))
            .collect();
        let arg = Arg { label: None, value: Value::Array(items, span(lambda)), span: span(*annotated) };
        let whole = span(node);
        if callee.kind() == "call_expression" {
            if let Some(id) = builder.call_at(span(callee)) {
                let call = &mut builder.model.calls[id];
                call.args.push(arg);
                call.args_span = call.args_span.cover(span(*annotated));
                builder.alias(whole, Value::Call(id));
                builder.set(whole, Value::Call(id));
                continue;
            }
        }
        let source = builder.source;
        let name = last_identifier(callee).unwrap_or(callee);
        let name_text = &source[name.byte_range()];
        let receiver = (callee.kind() == "navigation_expression")
            .then(|| jvm::named_children(callee).into_iter().find(|c| !c.is_extra()))
            .flatten()
            .and_then(|r| builder.call_at(span(r)));
        let id = builder.push_call(Call {
            span: whole,
            callee: path(callee, source, &mut HashMap::new()),
            name_span: span(name),
            is_new: name_text.starts_with(|c: char| c.is_uppercase()),
            args: vec![arg],
            args_span: span(*annotated),
            receiver,
            keywords: None,
        });
        builder.set(whole, Value::Call(id));
    }
}

/// Callee paths rebuilt from the tree (`JSONObject().apply().toString`), and receivers
/// that are calls with a trailing lambda.
fn fix_callees(calls: &[Node], builder: &mut jvm::Builder) {
    let source = builder.source;
    let mut paths = HashMap::new();
    for &node in calls {
        let Some(id) = builder.call_at(span(node)) else { continue };
        if builder.model.calls[id].span != span(node) {
            continue;
        }
        let Some(callee) = jvm::named_children(node).into_iter().find(|c| !c.is_extra()) else { continue };
        let receiver = (callee.kind() == "navigation_expression")
            .then(|| jvm::named_children(callee).into_iter().find(|c| !c.is_extra()))
            .flatten()
            .and_then(|r| builder.call_at(span(r)));
        let call = &mut builder.model.calls[id];
        call.callee = path(callee, source, &mut paths);
        if let Some(name) = last_identifier(callee) {
            call.name_span = span(name);
        }
        if call.receiver.is_none() && receiver != Some(id) {
            call.receiver = receiver;
        }
    }
}

fn last_identifier(callee: Node) -> Option<Node> {
    match callee.kind() {
        "identifier" => Some(callee),
        "navigation_expression" => jvm::named_children(callee).into_iter().rfind(|c| c.kind() == "identifier"),
        _ => None,
    }
}

/// A callee or receiver as a dotted path, calls written with empty parentheses. The
/// paths of the nodes on the way are remembered: the calls of a chain share them.
fn path(node: Node, source: &str, paths: &mut HashMap<usize, String>) -> String {
    // Walk down the receivers iteratively (chains can be long), then build back up.
    let mut chain: Vec<Node> = Vec::new();
    let mut current = node;
    let base = loop {
        if let Some(known) = paths.get(&current.id()) {
            break known.clone();
        }
        let first = jvm::named_children(current).into_iter().find(|c| !c.is_extra());
        match (current.kind(), first) {
            ("call_expression", Some(first)) => {
                chain.push(current);
                current = first;
            }
            ("navigation_expression", Some(first)) if current.named_child_count() > 1 => {
                chain.push(current);
                current = first;
            }
            ("string_literal" | "multiline_string_literal", _) => break "\"\"".to_string(),
            ("identifier" | "this_expression" | "super_expression", _) => {
                break source[current.byte_range()].to_string()
            }
            _ => break callee_path(&source[current.byte_range()]),
        }
    };
    let mut out = base;
    for link in chain.into_iter().rev() {
        if link.kind() == "call_expression" {
            out.push_str("()");
        } else {
            let name = last_identifier(link).map_or("", |n| &source[n.byte_range()]);
            out.push('.');
            out.push_str(name);
        }
        paths.insert(link.id(), out.clone());
    }
    out
}

/// The URLs of the abstract functions of service interfaces, by function name:
/// `@POST("oauth/ro") suspend fun login(...)`, `@HTTP(method = "POST", path = "oauth/ro")`.
fn service_endpoints(tree: &Tree, source: &str) -> HashMap<String, Span> {
    let mut found = HashMap::new();
    for function in jvm::nodes_by_kind(tree, &["function_declaration"]).values() {
        let children = jvm::named_children(*function);
        if children.iter().any(|c| c.kind() == "function_body") {
            continue;
        }
        let Some(name) = function.child_by_field_name("name") else { continue };
        let Some(modifiers) = children.iter().find(|c| c.kind() == "modifiers") else { continue };
        for annotation in jvm::named_children(*modifiers).into_iter().filter(|c| c.kind() == "annotation") {
            let Some(invocation) =
                jvm::named_children(annotation).into_iter().find(|c| c.kind() == "constructor_invocation")
            else {
                continue;
            };
            let parts = jvm::named_children(invocation);
            let annotation_name =
                parts.iter().find(|c| c.kind() == "user_type").map_or("", |t| &source[t.byte_range()]);
            if !jvm::HTTP_ANNOTATIONS.contains(&annotation_name) {
                continue;
            }
            let Some(arguments) = parts.iter().find(|c| c.kind() == "value_arguments") else { continue };
            let url = jvm::named_children(*arguments).into_iter().find_map(|arg| {
                let inner = jvm::named_children(arg);
                match inner.as_slice() {
                    [value] if value.kind() == "string_literal" => Some(*value),
                    [label, value]
                        if matches!(&source[label.byte_range()], "path" | "value")
                            && value.kind() == "string_literal" =>
                    {
                        Some(*value)
                    }
                    _ => None,
                }
            });
            if let Some(url) = url {
                found.insert(source[name.byte_range()].to_string(), span(url));
            }
        }
    }
    found
}

/// Runs of statements that add entries to the same receiver: `params.put("k", v)`,
/// `params["k"] = v`, and in a lambda `put("k", v)` / `append("k", v)` on its receiver.
fn statement_groups(tree: &Tree, source: &str, builder: &jvm::Builder) -> Vec<jvm::Group> {
    let mut groups = Vec::new();
    let containers = jvm::nodes_by_kind(tree, &["block", "lambda_literal", "source_file"]);
    for node in containers.values() {
        let lambda_call = (node.kind() == "lambda_literal")
            .then(|| node.parent().and_then(|p| p.parent()))
            .flatten()
            .filter(|call| call.kind() == "call_expression")
            .map(span)
            .filter(|&s| builder.call_at(s).is_some_and(|id| builder.model.calls[id].span == s));
        let mut current: Option<jvm::Group> = None;
        for statement in jvm::named_children(*node) {
            if statement.is_extra() || statement.kind() == "lambda_parameters" {
                continue;
            }
            let found = pair_statement(statement, source, builder, lambda_call);
            match (found, current.as_mut()) {
                (Some((owner, entry)), Some(group)) if group.owner == owner => group.entries.push(entry),
                (Some((owner, entry)), _) => {
                    groups.extend(current.take());
                    current = Some(jvm::Group { owner, entries: vec![entry] });
                }
                (None, _) => groups.extend(current.take()),
            }
        }
        groups.extend(current);
    }
    groups
}

fn pair_statement(
    statement: Node,
    source: &str,
    builder: &jvm::Builder,
    lambda_call: Option<Span>,
) -> Option<(jvm::Owner, jvm::PairEntry)> {
    let whole = span(statement);
    match statement.kind() {
        "call_expression" => {
            let callee = jvm::named_children(statement).into_iter().find(|c| !c.is_extra())?;
            let owner = match callee.kind() {
                "identifier" => jvm::Owner::Lambda(lambda_call?),
                "navigation_expression" => {
                    let receiver = jvm::named_children(callee).into_iter().find(|c| !c.is_extra())?;
                    if !matches!(receiver.kind(), "identifier" | "navigation_expression") {
                        return None;
                    }
                    jvm::Owner::Name(compact(&source[receiver.byte_range()]))
                }
                _ => return None,
            };
            let name = &source[last_identifier(callee)?.byte_range()];
            if !jvm::PAIR_METHODS.contains(&name) {
                return None;
            }
            let id = builder.call_at(whole)?;
            let (key, key_span, value) = builder.pair_of_statement(id)?;
            Some((owner, jvm::PairEntry { span: whole, key, key_span, value }))
        }
        "assignment" => {
            let left = statement.child_by_field_name("left")?;
            let right = statement.child_by_field_name("right")?;
            let operator = statement.child_by_field_name("operator")?;
            if left.kind() != "index_expression" || operator.kind() != "=" {
                return None;
            }
            let parts: Vec<Node> = jvm::named_children(left).into_iter().filter(|c| !c.is_extra()).collect();
            let [receiver, key] = parts.as_slice() else { return None };
            if !matches!(receiver.kind(), "identifier" | "navigation_expression") {
                return None;
            }
            let (key, key_span) = builder.key_of(&builder.value_at(span(*key)))?;
            let value = builder.value_at(span(right));
            let owner = jvm::Owner::Name(compact(&source[receiver.byte_range()]));
            Some((owner, jvm::PairEntry { span: whole, key, key_span, value }))
        }
        _ => None,
    }
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::ObjectKind;

    fn lower(src: &str) -> FileModel {
        Language::Kotlin.lower(src).unwrap()
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    fn keys(m: &FileModel, id: usize) -> Vec<&str> {
        m.objects[id].entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn bound(m: &FileModel, name: &str) -> usize {
        let b = m.bindings.iter().find(|b| b.name == name).unwrap();
        m.object_of(&b.value).unwrap_or_else(|| panic!("{name} is bound to {:?}", b.value))
    }

    #[test]
    fn templates_have_holes_and_escapes_decode() {
        let src = r#"val a = "https://$domain/oauth/ro"
val b = "https://${config.domain}/oauth/ro"
val c = """https://$domain/oauth/${"ro"}"""
val d = "\u0041\$x \\u0041 ${'$'}"
val e = """\u0041 \n"""
"#;
        let m = lower(src);
        let t = texts(&m);
        assert_eq!(t[0], "https://\u{FFFC}/oauth/ro");
        assert_eq!(t[1], "https://\u{FFFC}/oauth/ro");
        assert!(t.contains(&"https://\u{FFFC}/oauth/\u{FFFC}".to_string()), "{t:?}");
        assert!(t.contains(&"A$x \\u0041 \u{FFFC}".to_string()), "{t:?}");
        assert!(t.contains(&"\\u0041 \\n".to_string()), "raw strings have no escapes: {t:?}");
        let a = &m.strings[0];
        let hole = a.holes().next().unwrap();
        assert_eq!(&src[hole.span(&m).range()], "domain");
        let (lit, x, y) = a.locate(a.text().len() - 2, a.text().len()).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "ro");
        let d = m.strings.iter().find(|s| s.text().starts_with('A')).unwrap();
        let (lit, x, y) = d.locate(0, 2).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "\\u0041\\$");
    }

    #[test]
    fn concatenation_format_and_constants() {
        let src = r#"const val DOMAIN = "t.auth0.com"
const val RO = "https://$DOMAIN/oauth/ro"
fun f(d: String) {
    get("https://" + d + "/oauth/ro")
    get(String.format("https://%s/oauth/ro", d))
    get("https://%s/oauth/ro".format(d))
    get(RO)
}
"#;
        let m = lower(src);
        let t = texts(&m);
        assert_eq!(t.iter().filter(|t| *t == "https://\u{FFFC}/oauth/ro").count(), 3, "{t:?}");
        assert!(t.contains(&"https://t.auth0.com/oauth/ro".to_string()), "{t:?}");
        let get = m.calls.iter().rfind(|c| c.callee == "get").unwrap();
        assert_eq!(m.string_of(&get.args[0].value).unwrap().text(), "https://t.auth0.com/oauth/ro");
    }

    #[test]
    fn calls_constructors_and_named_arguments() {
        let src = r#"fun f() {
    val client = AuthenticationAPIClient(auth0)
    client.login(email, password, "Username-Password-Authentication").start(callback)
    val users = UsersAPIClient(auth0, credentials.idToken)
    api.signIn(realm = "db", username = user)
    val url = HttpUrl.Builder().scheme("https").host(domain).addPathSegment("oauth").addPathSegment("ro").build()
}"#;
        let m = lower(src);
        let callees: Vec<(&str, bool)> = m.calls.iter().map(|c| (c.callee.as_str(), c.is_new)).collect();
        assert!(callees.contains(&("AuthenticationAPIClient", true)), "{callees:?}");
        assert!(callees.contains(&("UsersAPIClient", true)), "{callees:?}");
        assert!(callees.contains(&("client.login().start", false)), "{callees:?}");
        assert!(
            callees.contains(&("HttpUrl.Builder().scheme().host().addPathSegment().addPathSegment", false)),
            "{callees:?}"
        );
        let sign_in = m.calls.iter().find(|c| c.callee == "api.signIn").unwrap();
        let labels: Vec<Option<&str>> = sign_in.args.iter().map(|a| a.label.as_deref()).collect();
        assert_eq!(labels, [Some("realm"), Some("username")]);
        let kw = &m.objects[sign_in.keywords.unwrap()];
        assert_eq!(kw.kind, ObjectKind::Arguments);
        assert_eq!(&src[kw.get("realm").unwrap().key_span.range()], "realm");
        let ro = m.calls.iter().find(|c| c.callee.ends_with("addPathSegment().addPathSegment")).unwrap();
        assert_eq!(m.calls[ro.receiver.unwrap()].name(), "addPathSegment");
        assert_eq!(&src[ro.name_span.range()], "addPathSegment");
    }

    #[test]
    fn maps_builders_and_lambdas_make_objects() {
        let src = r#"fun f(code: String) {
    val body = mapOf("grant_type" to "password", "connection" to "sms", "password" to code)
    val form = FormBody.Builder()
        .add("grant_type", "password")
        .add("device", "phone")
        .build()
    val json = JSONObject().apply {
        put("user_id", id)
        put("provider", "google")
    }.toString()
    val params = parameters { append("grant_type", "password"); append("connection", "db") }
    val fields = HashMap<String, String>()
    fields["grant_type"] = "password"
    fields["connection"] = "db"
    val pairs = listOf(Pair("grant_type", "password"))
}"#;
        let m = lower(src);
        let body = bound(&m, "body");
        assert_eq!(keys(&m, body), ["grant_type", "connection", "password"]);
        assert_eq!(m.objects[body].kind, ObjectKind::Literal);
        let connection = m.objects[body].get("connection").unwrap();
        assert_eq!(&src[connection.key_span.range()], "connection");
        assert_eq!(&src[connection.span.range()], "\"connection\" to \"sms\"");
        let form = bound(&m, "form");
        assert_eq!(keys(&m, form), ["grant_type", "device"]);
        assert_eq!(&src[m.objects[form].entries[1].span.range()], ".add(\"device\", \"phone\")");
        assert_eq!(keys(&m, bound(&m, "json")), ["user_id", "provider"]);
        assert_eq!(keys(&m, bound(&m, "params")), ["grant_type", "connection"]);
        let fields = bound(&m, "fields");
        assert_eq!(keys(&m, fields), ["grant_type", "connection"]);
        assert_eq!(&src[m.objects[fields].entries[0].key_span.range()], "grant_type");
        assert_eq!(keys(&m, bound(&m, "pairs")), ["grant_type"]);
    }

    #[test]
    fn a_trailing_lambda_is_part_of_its_call() {
        let src = r#"suspend fun link(idToken: String) {
    val response = client.post("https://$domain/api/v2/users/$userId/identities") {
        header("Authorization", "Bearer $idToken")
        contentType(ContentType.Application.Json)
        setBody("""{"provider": "google-oauth2", "user_id": "$secondary"}""")
    }
    val r = client.submitForm(url = RO_URL, formParameters = parameters { append("grant_type", "password") })
}"#;
        let m = lower(src);
        let post = m.calls.iter().position(|c| c.callee == "client.post").unwrap();
        let reach = crate::rules::request::reach_of(&m, post);
        let texts: Vec<String> = reach.strings.iter().map(|&s| m.strings[s].text()).collect();
        assert!(texts.contains(&"Bearer \u{FFFC}".to_string()), "{texts:?}");
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("user_id") && m.objects[o].has("provider")));
        let bearer = m.strings.iter().find(|s| s.text() == "Bearer \u{FFFC}").unwrap();
        assert!(m.calls[post].args_span.contains(bearer.span));
        let response = m.bindings.iter().find(|b| b.name == "response").unwrap();
        assert!(matches!(response.value, Value::Call(id) if id == post));
        let submit = m.calls.iter().position(|c| c.callee == "client.submitForm").unwrap();
        let reach = crate::rules::request::reach_of(&m, submit);
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("grant_type")));
    }

    #[test]
    fn service_functions_and_chains_reach_their_urls() {
        let src = r#"interface Auth0Api {
    @FormUrlEncoded
    @POST("oauth/ro")
    suspend fun resourceOwner(@FieldMap form: Map<String, String>): Token
}
suspend fun login(api: Auth0Api, domain: String, body: RequestBody) {
    api.resourceOwner(mapOf("grant_type" to "password", "connection" to "db"))
    val request = Request.Builder().url("https://$domain/oauth/ro").post(body).build()
}"#;
        let m = lower(src);
        let call = m.calls.iter().position(|c| c.callee == "api.resourceOwner").unwrap();
        let reach = crate::rules::request::reach_of(&m, call);
        assert!(reach.strings.iter().any(|&s| m.strings[s].text() == "oauth/ro"));
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("connection")));
        // Every call of a chain reaches what the others are given.
        let post = m.calls.iter().position(|c| c.callee == "Request.Builder().url().post").unwrap();
        assert_eq!(&src[m.calls[post].args[0].value.span(&m).range()], "body");
        let reach = crate::rules::request::reach_of(&m, post);
        assert!(reach.strings.iter().any(|&s| m.strings[s].text() == "https://\u{FFFC}/oauth/ro"));
    }

    #[test]
    fn bindings_scopes_and_comments() {
        let src = r#"// Auth
private val base = "https://t.auth0.com"
class Repo {
    var url: String = ""
    init { url = base + "/oauth/ro" }
    fun f() = listOf(1).map { it + 1 } /* x */
}"#;
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["base", "url", "url"]);
        assert_eq!(m.comments.len(), 2);
        assert_eq!(m.scopes.len(), 4, "class body, init, function body, lambda");
        assert!(texts(&m).contains(&"https://t.auth0.com/oauth/ro".to_string()));
    }

    #[test]
    fn deep_chains_and_concatenations_do_not_overflow() {
        let depth = 1000;
        let src = format!(
            "fun f() {{\n val b = FormBody.Builder(){}.build()\n val s = {}\n}}",
            ".add(\"k\", \"v\")".repeat(depth),
            vec!["\"a\""; depth].join(" + ")
        );
        let m = lower(&src);
        assert!(m.strings.iter().any(|s| s.text().len() == depth));
    }
}
