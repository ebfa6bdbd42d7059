//! Java: the tree-sitter grammar, its facts query, its escape rules, and an extra pass
//! for what the query cannot express: callee paths of method calls, the incidental
//! indentation of text blocks, fields set through `this.x = ...`, the objects that
//! builder and factory calls make (`Map.of(k, v, ...)`, `new FormBody.Builder().add(k,
//! v)...build()`, `params.put(k, v);` statements), the calls that make one request (a
//! chain, statements on a `new HttpPost(url)`), and Retrofit service methods with their
//! URL annotation. The part shared with Kotlin is the module [`jvm`].

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::treesitter::{callee_path, compact, Grammar};
use crate::model::{FileModel, Part};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_java::LANGUAGE.into(),
            include_str!("queries/java.scm"),
            unescape,
            Some(super::treesitter::PRINTF),
        )
        .with_env_lookup(jvm::ENV_LOOKUP)
        .with_extra(extra)
    })
}

/// Decodes one Java escape sequence: the C escapes, octal, `\uXXXX`, and `\s` (a space).
fn unescape(raw: &str) -> Option<String> {
    match raw {
        "\\s" => Some(" ".to_string()),
        _ => super::escapes::c_like(raw),
    }
}

fn extra(tree: &Tree, source: &str, model: &mut FileModel) {
    model.client_side |= jvm::runs_on_device(source);
    model.tls_overrides = jvm::tls_overrides(tree, source);
    for list in jvm::nodes_by_kind(tree, &["annotation_argument_list"]).keys() {
        model.constant_contexts.push(Span::new(list.0, list.1));
    }
    let nodes = jvm::nodes_by_kind(tree, &["method_invocation", "object_creation_expression", "string_literal"]);
    fix_callees(&nodes, source, model);
    strip_text_blocks(&nodes, source, model);
    bind_fields(tree, source, model);
    let mut builder = jvm::Builder::new(model, source);
    for cast in jvm::nodes_by_kind(tree, &["cast_expression"]).values() {
        if let Some(value) = cast.child_by_field_name("value") {
            let value = builder.value_at(Span::new(value.start_byte(), value.end_byte()));
            builder.set(Span::new(cast.start_byte(), cast.end_byte()), value);
        }
    }
    builder.factory_objects();
    builder.chain_objects();
    let groups = statement_groups(tree, source, &builder);
    builder.statement_objects(groups);
    builder.conversions();
    builder.link_endpoints(&service_endpoints(tree, source));
    builder.group_requests();
    builder.apply();
}

/// Method calls are their own callee in the query; their path is rebuilt here from the
/// receiver and the method name (`HttpUrl.Builder().addPathSegment`), and constructors
/// lose their type arguments (`new HashMap<>()` is `HashMap`).
fn fix_callees(nodes: &HashMap<(usize, usize, &'static str), Node>, source: &str, model: &mut FileModel) {
    let mut paths: HashMap<usize, String> = HashMap::new();
    for call in &mut model.calls {
        let (start, end) = (call.span.start, call.span.end);
        if let Some(node) = nodes.get(&(start, end, "method_invocation")) {
            let Some(name) = node.child_by_field_name("name") else { continue };
            let name_text = &source[name.byte_range()];
            call.callee = match node.child_by_field_name("object") {
                Some(object) => format!("{}.{name_text}", path(object, source, &mut paths)),
                None => name_text.to_string(),
            };
            call.name_span = Span::new(name.start_byte(), name.end_byte());
        } else if let Some(node) = nodes.get(&(start, end, "object_creation_expression")) {
            let Some(ty) = node.child_by_field_name("type") else { continue };
            call.callee = type_path(&source[ty.byte_range()]);
            if let Some(last) = last_type_identifier(ty) {
                call.name_span = Span::new(last.start_byte(), last.end_byte());
            }
        }
    }
}

/// A receiver expression as a dotted path, calls written with empty parentheses. The
/// paths of the calls on the way are remembered: the calls of a chain share them.
fn path(node: Node, source: &str, paths: &mut HashMap<usize, String>) -> String {
    // Walk down the receivers iteratively (chains can be long), then build back up.
    let mut chain: Vec<Node> = Vec::new();
    let mut current = node;
    let base = loop {
        if let Some(known) = paths.get(&current.id()) {
            break known.clone();
        }
        match current.kind() {
            "method_invocation" | "field_access" => {
                chain.push(current);
                match current.child_by_field_name("object") {
                    Some(object) => current = object,
                    None => break String::new(),
                }
            }
            "object_creation_expression" => {
                let ty = current.child_by_field_name("type").map_or("", |n| &source[n.byte_range()]);
                break format!("{}()", type_path(ty));
            }
            "string_literal" => break "\"\"".to_string(),
            "identifier" | "this" | "super" | "type_identifier" => break source[current.byte_range()].to_string(),
            "scoped_type_identifier" | "generic_type" => break type_path(&source[current.byte_range()]),
            _ => break callee_path(&source[current.byte_range()]),
        }
    };
    let mut out = base;
    for link in chain.into_iter().rev() {
        let (field, suffix) = if link.kind() == "method_invocation" { ("name", "()") } else { ("field", "") };
        let segment = link.child_by_field_name(field).map_or("", |n| &source[n.byte_range()]);
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(segment);
        out.push_str(suffix);
        if link.kind() == "method_invocation" {
            paths.insert(link.id(), out.clone());
        }
    }
    out
}

/// A type without its type arguments, annotations or spaces: `java.util.HashMap<K, V>` →
/// `java.util.HashMap`.
fn type_path(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

fn last_type_identifier(ty: Node) -> Option<Node> {
    match ty.kind() {
        "type_identifier" => Some(ty),
        "generic_type" => {
            jvm::named_children(ty).into_iter().find(|c| c.kind() != "type_arguments").and_then(last_type_identifier)
        }
        "scoped_type_identifier" => jvm::named_children(ty).into_iter().rfind(|c| c.kind() == "type_identifier"),
        _ => None,
    }
}

/// Text blocks: the opening line, the incidental indentation and the trailing spaces of
/// each line are not part of the value (JLS 3.10.6), and `\r\n` is `\n`.
fn strip_text_blocks(nodes: &HashMap<(usize, usize, &'static str), Node>, source: &str, model: &mut FileModel) {
    let mut removed: HashSet<usize> = HashSet::new();
    let mut blocks: Vec<Span> = Vec::new();
    for (&(start, end, kind), _) in nodes.iter() {
        if kind != "string_literal" || !source[start..end].starts_with("\"\"\"") || end - start < 6 {
            continue;
        }
        let content = Span::new(start + 3, end - 3);
        blocks.push(content);
        removed.extend(text_block_removals(source, content));
    }
    if blocks.is_empty() {
        return;
    }
    for string in &mut model.strings {
        for part in &mut string.parts {
            let Part::Literal(lit) = part else { continue };
            if !blocks.iter().any(|b| b.overlaps(lit.span) || b.contains(lit.span)) {
                continue;
            }
            let chars: Vec<jvm::Char> = jvm::chars_of(lit)
                .into_iter()
                .filter(|c| !(c.end - c.start == c.ch.len_utf8() && removed.contains(&c.start)))
                .collect();
            *lit = jvm::literal_from(&chars, lit);
        }
    }
}

/// The source offsets of the characters a text block's value leaves out.
fn text_block_removals(source: &str, content: Span) -> Vec<usize> {
    let raw = &source[content.range()];
    let mut removed = Vec::new();
    // The opening line (after `"""`) holds only spaces and its line break.
    let Some(first_break) = raw.find('\n') else { return removed };
    removed.extend(content.start..content.start + first_break + 1);
    let body_start = first_break + 1;
    let mut lines: Vec<(usize, usize)> = Vec::new(); // [start, end) offsets in raw, without the '\n'
    let mut at = body_start;
    while let Some(i) = raw[at..].find('\n') {
        lines.push((at, at + i));
        at += i + 1;
    }
    let closing = (at, raw.len()); // the line of the closing delimiter
    let is_space = |c: char| c == ' ' || c == '\t' || c == '\u{c}' || c == '\r';
    let blank = |(s, e): (usize, usize)| raw[s..e].chars().all(is_space);
    let indent = |(s, e): (usize, usize)| raw[s..e].chars().take_while(|&c| is_space(c)).count();
    let closing_blank = blank(closing);
    let mut all: Vec<(usize, usize)> = lines.clone();
    if !closing_blank {
        all.push(closing);
    }
    let mut min = all.iter().filter(|&&l| !blank(l)).map(|&l| indent(l)).min().unwrap_or(0);
    if closing_blank {
        min = min.min(raw[closing.0..closing.1].chars().count());
    }
    for &(s, e) in &all {
        let line = &raw[s..e];
        if blank((s, e)) {
            removed.extend(line.char_indices().map(|(i, _)| content.start + s + i));
            continue;
        }
        for (taken, (i, c)) in line.char_indices().enumerate() {
            if taken == min || !is_space(c) {
                break;
            }
            removed.push(content.start + s + i);
        }
        let trimmed = line.trim_end_matches(is_space);
        removed
            .extend((trimmed.len()..line.len()).filter(|i| line.is_char_boundary(*i)).map(|i| content.start + s + i));
    }
    if closing_blank {
        removed.extend(raw[closing.0..closing.1].char_indices().map(|(i, _)| content.start + closing.0 + i));
    }
    removed
}

/// `this.url = ...` in a constructor or method sets the field `url`: the value is bound
/// to the field's declaration too, so the other methods of the class see it as `url` and
/// `this.url`.
fn bind_fields(tree: &Tree, source: &str, model: &mut FileModel) {
    let fields = jvm::nodes_by_kind(tree, &["field_declaration"]);
    // Field name → the spans of its declarators, with the class body that holds them.
    let mut declared: Vec<(String, Span, Span)> = Vec::new();
    for field in fields.values() {
        let Some(body) = field.parent() else { continue };
        for declarator in jvm::named_children(*field).into_iter().filter(|c| c.kind() == "variable_declarator") {
            if declarator.child_by_field_name("value").is_some() {
                continue;
            }
            let Some(name) = declarator.child_by_field_name("name") else { continue };
            declared.push((
                source[name.byte_range()].to_string(),
                Span::new(declarator.start_byte(), declarator.end_byte()),
                Span::new(body.start_byte(), body.end_byte()),
            ));
        }
    }
    if declared.is_empty() {
        return;
    }
    let constructors: Vec<Span> =
        jvm::nodes_by_kind(tree, &["constructor_body"]).keys().map(|&(start, end, _)| Span::new(start, end)).collect();
    let mut added = Vec::new();
    for binding in &model.bindings {
        let (name, explicit) = match binding.name.strip_prefix("this.") {
            Some(name) => (name, true),
            None => (binding.name.as_str(), false),
        };
        if !explicit && !constructors.iter().any(|c| c.contains(binding.span)) {
            continue;
        }
        // The innermost class that declares the field and holds the assignment.
        let Some((_, declarator, _)) = declared
            .iter()
            .filter(|(field, _, body)| field == name && body.contains(binding.span))
            .min_by_key(|(_, _, body)| body.len())
        else {
            continue;
        };
        for alias in [name.to_string(), format!("this.{name}")] {
            added.push(crate::model::Binding { name: alias, value: binding.value.clone(), span: *declarator });
        }
    }
    model.bindings.extend(added);
}

/// The URLs of the abstract methods of service interfaces, by method name:
/// `@POST("oauth/ro") Call<Token> login(...)`, `@HTTP(method = "POST", path = "oauth/ro")`.
fn service_endpoints(tree: &Tree, source: &str) -> HashMap<String, Span> {
    let mut found = HashMap::new();
    for method in jvm::nodes_by_kind(tree, &["method_declaration"]).values() {
        if method.child_by_field_name("body").is_some() {
            continue;
        }
        let Some(name) = method.child_by_field_name("name") else { continue };
        let Some(modifiers) = jvm::named_children(*method).into_iter().find(|c| c.kind() == "modifiers") else {
            continue;
        };
        for annotation in jvm::named_children(modifiers).into_iter().filter(|c| c.kind() == "annotation") {
            let annotation_name = annotation.child_by_field_name("name").map_or("", |n| &source[n.byte_range()]);
            if !jvm::HTTP_ANNOTATIONS.contains(&annotation_name) {
                continue;
            }
            let Some(arguments) = annotation.child_by_field_name("arguments") else { continue };
            let url = jvm::named_children(arguments).into_iter().find_map(|arg| match arg.kind() {
                "string_literal" => Some(arg),
                "element_value_pair" => {
                    let key = arg.child_by_field_name("key").map_or("", |k| &source[k.byte_range()]);
                    arg.child_by_field_name("value")
                        .filter(|v| matches!(key, "path" | "value") && v.kind() == "string_literal")
                }
                _ => None,
            });
            if let Some(url) = url {
                found.insert(source[name.byte_range()].to_string(), Span::new(url.start_byte(), url.end_byte()));
            }
        }
    }
    found
}

/// Runs of statements that add entries to the same receiver: `params.put("k", v);`,
/// `form.add(new BasicNameValuePair("k", v));`.
fn statement_groups(tree: &Tree, source: &str, builder: &jvm::Builder) -> Vec<jvm::Group> {
    let mut groups = Vec::new();
    let containers = jvm::nodes_by_kind(tree, &["block", "constructor_body", "switch_block_statement_group"]);
    for node in containers.values() {
        let mut current: Option<jvm::Group> = None;
        for statement in jvm::named_children(*node) {
            if statement.is_extra() {
                continue;
            }
            let found = pair_statement(statement, source, builder);
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

fn pair_statement(statement: Node, source: &str, builder: &jvm::Builder) -> Option<(jvm::Owner, jvm::PairEntry)> {
    if statement.kind() != "expression_statement" {
        return None;
    }
    let call = jvm::named_children(statement).into_iter().find(|c| !c.is_extra())?;
    if call.kind() != "method_invocation" {
        return None;
    }
    let object = call.child_by_field_name("object")?;
    if !matches!(object.kind(), "identifier" | "field_access") {
        return None;
    }
    let name = &source[call.child_by_field_name("name")?.byte_range()];
    if !jvm::PAIR_METHODS.contains(&name) {
        return None;
    }
    let id = builder.call_at(Span::new(call.start_byte(), call.end_byte()))?;
    let (key, key_span, value) = builder.pair_of_statement(id)?;
    let owner = jvm::Owner::Name(compact(&source[object.byte_range()]));
    let span = Span::new(statement.start_byte(), statement.end_byte());
    Some((owner, jvm::PairEntry { span, key, key_span, value }))
}

/// What Java and Kotlin share: the objects made by builder and factory calls, the values
/// of conversion calls (`.build()`, `.toString()`, `.trimIndent()`), and chained calls
/// seen as one request.
pub(super) mod jvm {
    use std::collections::HashMap;

    use tree_sitter::{Node, Tree};

    use crate::model::{
        Arg, Call, CallId, Entry, Expr, FileModel, Literal, ObjectId, ObjectKind, ObjectLiteral, Part, TlsOverride,
        Value,
    };
    use crate::source::Span;

    /// Methods that add one key and its value to the form, map or JSON object they build:
    /// OkHttp `FormBody.Builder.add`, `JSONObject.put`, Unirest `field`, Ktor `append`, ...
    pub const PAIR_METHODS: &[&str] = &[
        "add",
        "addEncoded",
        "put",
        "putOpt",
        "field",
        "addFormDataPart",
        "addProperty",
        "append",
        "with",
        "param",
        "formParam",
        "fromFormData",
    ];
    /// Calls that make one key/value pair.
    const PAIR_CONSTRUCTORS: &[&str] =
        &["BasicNameValuePair", "SimpleEntry", "SimpleImmutableEntry", "entry", "immutableEntry", "Pair"];
    /// Calls whose arguments alternate keys and values.
    const ALTERNATING: &[&str] = &["Map.of", "ImmutableMap.of", "ImmutableSortedMap.of"];
    /// Calls that collect pairs (or, in Kotlin, `k to v` entries) into one map, list or form.
    const CONTAINERS: &[&str] = &[
        "ofEntries",
        "asList",
        "of",
        "newArrayList",
        "listOf",
        "mutableListOf",
        "arrayListOf",
        "setOf",
        "arrayOf",
        "mapOf",
        "mutableMapOf",
        "hashMapOf",
        "linkedMapOf",
        "sortedMapOf",
        "parametersOf",
    ];
    /// Calls whose value is their receiver's (a built form, a string made into bytes).
    const CONVERSIONS: &[&str] = &[
        "build",
        "toString",
        "trimIndent",
        "trimMargin",
        "trim",
        "strip",
        "stripIndent",
        "getBytes",
        "toByteArray",
        "encodeToByteArray",
        "toRequestBody",
        "toHttpUrl",
        "toHttpUrlOrNull",
        "toUri",
        "toURI",
        "toURL",
    ];
    /// Calls whose value is their only argument's (kotlinx.serialization `JsonPrimitive`).
    const WRAPPERS: &[&str] = &["JsonPrimitive"];
    /// The annotations of a service method that hold its URL (Retrofit).
    pub const HTTP_ANNOTATIONS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "HTTP"];
    /// How Java and Kotlin read an environment variable.
    pub const ENV_LOOKUP: &str = "System.getenv(\"{name}\")";

    /// True when the code is part of an Android app (a public client that cannot keep a
    /// secret): it imports the Android framework or the Auth0.Android SDK, or defines an
    /// Activity or Fragment; and nothing says it is server code (a servlet, Spring, a Ktor
    /// server, the server-side auth0-java SDK).
    pub fn runs_on_device(text: &str) -> bool {
        const DEVICE: &[&str] = &[
            "import android.",
            "import androidx.",
            "import com.auth0.android.",
            "extends Activity",
            "extends AppCompatActivity",
            "extends Fragment",
            ": Activity()",
            ": AppCompatActivity()",
            ": ComponentActivity()",
            ": Fragment()",
        ];
        const SERVER: &[&str] = &[
            "import org.springframework.",
            "import javax.servlet.",
            "import jakarta.servlet.",
            "import io.ktor.server.",
            "import io.micronaut.",
            "import io.quarkus.",
            "import com.auth0.client.",
        ];
        DEVICE.iter().any(|m| text.contains(m)) && !SERVER.iter().any(|m| text.contains(m))
    }

    /// Setters that install a hostname verifier: OkHttp `hostnameVerifier`,
    /// `HttpsURLConnection.setDefaultHostnameVerifier`, Apache `setSSLHostnameVerifier`.
    const HOSTNAME_SETTERS: &[&str] =
        &["hostnameVerifier", "setHostnameVerifier", "setDefaultHostnameVerifier", "setSSLHostnameVerifier"];
    /// Library classes and constants that accept every host or every certificate.
    const ACCEPT_ALL: &[(&str, &str)] = &[
        ("NoopHostnameVerifier", "A hostname verifier that accepts every host"),
        ("AllowAllHostnameVerifier", "A hostname verifier that accepts every host"),
        ("ALLOW_ALL_HOSTNAME_VERIFIER", "A hostname verifier that accepts every host"),
        ("TrustAllStrategy", "A trust strategy that accepts every certificate"),
        ("TrustSelfSignedStrategy", "A trust strategy that accepts self-signed certificates"),
        ("InsecureTrustManagerFactory", "A trust manager that accepts every certificate"),
    ];
    const ANY_HOST: &str = "A hostname verifier that accepts every host";
    const ANY_CERTIFICATE: &str = "A trust manager that accepts every certificate";

    /// The code of a node without its comments and spaces: `{ return true; }` → `{returntrue;}`.
    fn code_text(node: Node, source: &str) -> String {
        let mut out = String::new();
        let mut cursor = node.walk();
        'walk: loop {
            let current = cursor.node();
            let comment = current.kind().contains("comment");
            if !comment && current.child_count() == 0 {
                out.extend(source[current.byte_range()].chars().filter(|c| !c.is_whitespace()));
            }
            if !comment && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.node() == node {
                    break 'walk;
                }
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        out
    }

    /// The body of a lambda: Java `(h, s) -> true`, Kotlin `{ _, _ -> true }`.
    fn lambda_body(node: Node, source: &str) -> Option<String> {
        match node.kind() {
            "lambda_expression" => node.child_by_field_name("body").map(|b| code_text(b, source)),
            "lambda_literal" => {
                let text = code_text(node, source);
                let inner = text.strip_prefix('{')?.strip_suffix('}')?;
                Some(inner.split_once("->").map_or(inner, |(_, body)| body).to_string())
            }
            "annotated_lambda" => named_children(node).into_iter().find_map(|c| lambda_body(c, source)),
            _ => None,
        }
    }

    fn returns_true(body: &str) -> bool {
        matches!(body, "true" | "{returntrue;}" | "returntrue" | "{returntrue}" | "=true" | ":Boolean=true")
    }

    /// A method that accepts its input whatever it is: `verify(host, session)` returning
    /// true, `checkServerTrusted(chain, type)` that throws nothing.
    fn accepting_method(node: Node, source: &str) -> Option<&'static str> {
        if !matches!(node.kind(), "method_declaration" | "function_declaration") {
            return None;
        }
        let name = &source[node.child_by_field_name("name")?.byte_range()];
        let body = named_children(node).into_iter().find(|c| matches!(c.kind(), "block" | "function_body"))?;
        let body = code_text(body, source);
        match name {
            "verify" if returns_true(&body) && code_text(node, source).contains("SSLSession") => Some(ANY_HOST),
            "checkServerTrusted" if matches!(body.as_str(), "{}" | "=Unit") => Some(ANY_CERTIFICATE),
            _ => None,
        }
    }

    /// True when a value accepts every host: a lambda returning true, an accept-all
    /// library verifier, an anonymous verifier whose `verify` returns true.
    fn accepts_all(node: Node, source: &str) -> bool {
        if lambda_body(node, source).is_some_and(|b| returns_true(&b)) {
            return true;
        }
        // Kotlin's `HostnameVerifier { _, _ -> true }` given to the setter.
        if let Some(("HostnameVerifier", _, [only])) =
            call_parts(node, source).as_ref().map(|(name, receiver, args)| (name.as_str(), receiver, args.as_slice()))
        {
            return accepts_all(*only, source);
        }
        let text = code_text(node, source);
        if ACCEPT_ALL.iter().any(|(name, _)| text.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == *name))
        {
            return true;
        }
        let mut found = false;
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if accepting_method(n, source).is_some() {
                found = true;
                break;
            }
            stack.extend(named_children(n));
        }
        found
    }

    /// The method name and receiver of a call: Java `a.b(...)`, Kotlin `a.b(...)` or `a.b { }`.
    fn call_parts<'t>(node: Node<'t>, source: &str) -> Option<(String, Option<Node<'t>>, Vec<Node<'t>>)> {
        match node.kind() {
            "method_invocation" => {
                let name = source[node.child_by_field_name("name")?.byte_range()].to_string();
                let args = node.child_by_field_name("arguments").map(named_children).unwrap_or_default();
                Some((name, node.child_by_field_name("object"), args))
            }
            "call_expression" => {
                let children = named_children(node);
                let callee = *children.first()?;
                let mut args = Vec::new();
                for child in &children[1..] {
                    match child.kind() {
                        "value_arguments" => {
                            for arg in named_children(*child) {
                                args.extend(named_children(arg).into_iter().last());
                            }
                        }
                        "annotated_lambda" => args.push(*child),
                        _ => {}
                    }
                }
                match callee.kind() {
                    "identifier" => Some((source[callee.byte_range()].to_string(), None, args)),
                    "navigation_expression" => {
                        let parts = named_children(callee);
                        let name = parts.last().filter(|n| n.kind() == "identifier")?;
                        let receiver = (parts.len() > 1).then(|| parts[0]);
                        Some((source[name.byte_range()].to_string(), receiver, args))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `span` with its whole line when nothing else is written on that line.
    fn with_line(source: &str, span: Span) -> Span {
        let start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = source[span.end..].find('\n').map_or(source.len(), |i| span.end + i + 1);
        let alone = source[start..span.start].trim().is_empty() && source[span.end..end].trim().is_empty();
        if alone {
            Span::new(start, end)
        } else {
            span
        }
    }

    /// What to delete to undo a hostname setter call: the `.setter(...)` link of a chain
    /// built on a call, or the statement the call is.
    fn setter_removal(call: Node, receiver: Option<Node>, source: &str) -> Option<Span> {
        let parent = call.parent()?;
        let chained =
            |r: &Node| matches!(r.kind(), "method_invocation" | "call_expression" | "object_creation_expression");
        if let Some(receiver) = receiver.filter(chained) {
            // From the end of the receiver, so that the chain's next line (or its `;`)
            // closes up; from the dot when a comment sits in between.
            let between = &source[receiver.end_byte()..call.end_byte()];
            let dot = between.find('.')?;
            let from = if between[..dot].trim().is_empty() { 0 } else { dot };
            return Some(Span::new(receiver.end_byte() + from, call.end_byte()));
        }
        match parent.kind() {
            "expression_statement" => Some(with_line(source, Span::new(parent.start_byte(), parent.end_byte()))),
            "block" | "source_file" | "lambda_literal" | "statements" => {
                Some(with_line(source, Span::new(call.start_byte(), call.end_byte())))
            }
            _ => None,
        }
    }

    /// Code that turns TLS verification off: hostname verifiers that accept every host
    /// (given to a setter, which can then be removed, or defined on their own), trust
    /// managers whose `checkServerTrusted` accepts everything, and the accept-all classes
    /// of Apache HttpClient and Netty.
    pub fn tls_overrides(tree: &Tree, source: &str) -> Vec<TlsOverride> {
        let mut found: Vec<TlsOverride> = Vec::new();
        let covered =
            |found: &[TlsOverride], span: Span| found.iter().any(|f| f.span.contains(span) || span.contains(f.span));
        let mut nodes: Vec<Node> = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            let skip =
                matches!(node.kind(), "import_declaration" | "import" | "package_declaration" | "package_header")
                    || node.kind().contains("comment");
            if !skip {
                nodes.push(node);
            }
            if !skip && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        // Setters given an accept-all verifier, removable.
        for &node in &nodes {
            let Some((name, receiver, args)) = call_parts(node, source) else { continue };
            if !HOSTNAME_SETTERS.contains(&name.as_str()) {
                continue;
            }
            let Some(arg) = args.last().copied().filter(|a| accepts_all(*a, source)) else { continue };
            let span = Span::new(arg.start_byte(), arg.end_byte());
            if covered(&found, span) {
                continue;
            }
            let removal = setter_removal(node, receiver, source);
            found.push(TlsOverride { span, what: ANY_HOST.to_string(), removal });
        }
        // Verifiers and trust managers defined on their own.
        for &node in &nodes {
            let what = if let Some(what) = accepting_method(node, source) {
                what
            } else if let Some((name, _, args)) = call_parts(node, source) {
                // Kotlin's `HostnameVerifier { _, _ -> true }`.
                match args.as_slice() {
                    [only] if name == "HostnameVerifier" && accepts_all(*only, source) => ANY_HOST,
                    _ => continue,
                }
            } else if node.kind() == "lambda_expression" {
                // Java's `HostnameVerifier any = (host, session) -> true;`.
                let declared = node
                    .parent()
                    .filter(|p| p.kind() == "variable_declarator")
                    .and_then(|p| p.parent())
                    .and_then(|d| d.child_by_field_name("type"))
                    .is_some_and(|t| source[t.byte_range()].ends_with("HostnameVerifier"));
                if !(declared && accepts_all(node, source)) {
                    continue;
                }
                ANY_HOST
            } else if matches!(node.kind(), "identifier" | "type_identifier" | "simple_identifier") {
                let text = &source[node.byte_range()];
                match ACCEPT_ALL.iter().find(|(name, _)| *name == text) {
                    Some((_, what)) => what,
                    None => continue,
                }
            } else {
                continue;
            };
            let span = Span::new(node.start_byte(), node.end_byte());
            if covered(&found, span) {
                continue;
            }
            found.push(TlsOverride { span, what: what.to_string(), removal: None });
        }
        found.sort_by_key(|f| f.span.start);
        found
    }

    /// How long a chain of receivers may be followed.
    const MAX_CHAIN: usize = 256;

    /// One character of a literal and the source bytes it was decoded from.
    #[derive(Clone, Copy, Debug)]
    pub struct Char {
        pub ch: char,
        pub start: usize,
        pub end: usize,
    }

    pub fn chars_of(lit: &Literal) -> Vec<Char> {
        lit.text
            .char_indices()
            .map(|(i, ch)| Char {
                ch,
                start: lit.source_offset(i),
                end: lit.source_offset(i + ch.len_utf8()).max(lit.source_offset(i)),
            })
            .collect()
    }

    /// A literal made of `chars`, with the quoting and origin of `like`.
    pub fn literal_from(chars: &[Char], like: &Literal) -> Literal {
        let start = chars.first().map_or(like.span.start, |c| c.start);
        let end = chars.last().map_or(start, |c| c.end);
        let mut text = String::new();
        let mut map = Vec::new();
        let mut last_delta = 0isize;
        for c in chars {
            let delta = c.start as isize - (start + text.len()) as isize;
            if delta != last_delta {
                map.push((text.len(), c.start));
                last_delta = delta;
            }
            text.push(c.ch);
        }
        Literal { text, span: Span::new(start, end), map, site: like.site, quoting: like.quoting }
    }

    /// True when the character is written as itself in the source (not by an escape).
    pub fn verbatim(c: &Char, source: &str) -> bool {
        c.end - c.start == c.ch.len_utf8() && source[c.start..].starts_with(c.ch)
    }

    pub fn named_children(node: Node) -> Vec<Node> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor).collect()
    }

    /// The nodes of the given kinds, by span and kind.
    pub fn nodes_by_kind<'t>(
        tree: &'t Tree,
        kinds: &[&'static str],
    ) -> HashMap<(usize, usize, &'static str), Node<'t>> {
        let mut found = HashMap::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            if let Some(kind) = kinds.iter().find(|k| **k == node.kind()) {
                found.insert((node.start_byte(), node.end_byte(), *kind), node);
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        found
    }

    /// Whose entries a run of statements adds.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Owner {
        /// A variable or field: `params.put(...)`.
        Name(String),
        /// The receiver of a lambda (`JSONObject().apply { put(...) }`, `parameters {
        /// append(...) }`): the call with that lambda.
        Lambda(Span),
    }

    #[derive(Clone, Debug)]
    pub struct PairEntry {
        pub span: Span,
        pub key: String,
        pub key_span: Span,
        pub value: Value,
    }

    #[derive(Clone, Debug)]
    pub struct Group {
        pub owner: Owner,
        pub entries: Vec<PairEntry>,
    }

    /// Adds the facts of builder calls to a model, then rewrites the values that stand
    /// for them (`Value::Call` of a `.build()`, a name bound to a builder) in one pass.
    pub struct Builder<'a> {
        pub model: &'a mut FileModel,
        pub source: &'a str,
        /// Lowered values by span: objects first, then strings, then calls.
        index: HashMap<Span, Value>,
        calls: HashMap<Span, CallId>,
        /// The value that stands for the expression at a span from now on.
        replace: HashMap<Span, Value>,
    }

    impl<'a> Builder<'a> {
        pub fn new(model: &'a mut FileModel, source: &'a str) -> Builder<'a> {
            let mut index = HashMap::new();
            for (id, call) in model.calls.iter().enumerate() {
                index.insert(call.span, Value::Call(id));
            }
            for (id, string) in model.strings.iter().enumerate() {
                if !string.nested {
                    index.insert(string.span, Value::String(id));
                }
            }
            for (id, object) in model.objects.iter().enumerate() {
                if object.kind == ObjectKind::Literal {
                    index.insert(object.span, Value::Object(id));
                }
            }
            let calls = model.calls.iter().enumerate().map(|(id, c)| (c.span, id)).rev().collect();
            Builder { model, source, index, calls, replace: HashMap::new() }
        }

        /// The lowered value of the expression at `span`, or the expression itself.
        pub fn value_at(&self, span: Span) -> Value {
            self.index.get(&span).cloned().unwrap_or_else(|| self.expr(span))
        }

        pub fn expr(&self, span: Span) -> Value {
            let raw = &self.source[span.range()];
            let text = if raw.len() > 240 { String::new() } else { super::compact(raw) };
            Value::Expr(Expr { span, text })
        }

        /// A call's method or class name, read from its name span (its callee path can be
        /// long in a chain).
        pub fn name(&self, id: CallId) -> &str {
            let call = &self.model.calls[id];
            let text = &self.source[call.name_span.range()];
            if !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                text
            } else {
                call.name()
            }
        }

        /// The call lowered at exactly `span`.
        pub fn call_at(&self, span: Span) -> Option<CallId> {
            self.calls.get(&span).copied()
        }

        pub fn push_call(&mut self, call: Call) -> CallId {
            let span = call.span;
            self.model.calls.push(call);
            let id = self.model.calls.len() - 1;
            self.index.entry(span).or_insert(Value::Call(id));
            self.calls.entry(span).or_insert(id);
            id
        }

        /// From now on the expression at `span` is looked up as `value`.
        pub fn alias(&mut self, span: Span, value: Value) {
            self.index.insert(span, value);
        }

        fn push_object(&mut self, span: Span, entries: Vec<Entry>) -> ObjectId {
            self.model.objects.push(ObjectLiteral { span, kind: ObjectKind::Literal, entries });
            let id = self.model.objects.len() - 1;
            self.index.insert(span, Value::Object(id));
            id
        }

        /// From now on the expression at `span` is `value`.
        pub fn set(&mut self, span: Span, value: Value) {
            self.replace.insert(span, value);
        }

        /// A key written as a plain string literal: its text and the span inside the quotes.
        pub fn key_of(&self, value: &Value) -> Option<(String, Span)> {
            let Value::String(id) = value else { return None };
            match self.model.strings[*id].parts.as_slice() {
                [Part::Literal(lit)] if !lit.text.is_empty() => Some((lit.text.clone(), lit.span)),
                _ => None,
            }
        }

        /// `add("k", v)`: a call of two arguments whose first is a key.
        fn pair_args(&self, id: CallId) -> Option<(String, Span, Value)> {
            let call = &self.model.calls[id];
            match call.args.as_slice() {
                [key, value] if key.label.is_none() => {
                    let (text, span) = self.key_of(&key.value)?;
                    Some((text, span, value.value.clone()))
                }
                _ => None,
            }
        }

        /// `new BasicNameValuePair("k", v)`, `Map.entry("k", v)`, `Pair("k", v)`.
        fn pair_constructor(&self, value: &Value) -> Option<(String, Span, Value)> {
            let Value::Call(id) = value else { return None };
            let name = self.name(*id);
            let known = PAIR_CONSTRUCTORS.contains(&name)
                || (name == "of" && self.model.calls[*id].callee_ends_with("Pair.of"));
            if !known {
                return None;
            }
            self.pair_args(*id)
        }

        /// The entry a statement's call adds: `put("k", v)` or `add(new BasicNameValuePair("k", v))`.
        pub fn pair_of_statement(&self, id: CallId) -> Option<(String, Span, Value)> {
            if !PAIR_METHODS.contains(&self.name(id)) {
                return None;
            }
            match self.model.calls[id].args.as_slice() {
                [only] => self.pair_constructor(&only.value),
                _ => self.pair_args(id),
            }
        }

        /// `Map.of("k", v, ...)`, `Map.ofEntries(entry("k", v), ...)`,
        /// `Arrays.asList(new BasicNameValuePair("k", v), ...)`, `mapOf("k" to v)`.
        pub fn factory_objects(&mut self) {
            for id in 0..self.model.calls.len() {
                let name = self.name(id);
                let call = &self.model.calls[id];
                let span = call.span;
                if name == "of" && ALTERNATING.iter().any(|s| call.callee_ends_with(s)) {
                    let args = call.args.clone();
                    if args.is_empty() || args.len() % 2 != 0 || args.iter().any(|a| a.label.is_some()) {
                        continue;
                    }
                    let mut entries = Vec::new();
                    for pair in args.chunks(2) {
                        let Some((key, key_span)) = self.key_of(&pair[0].value) else {
                            entries.clear();
                            break;
                        };
                        entries.push(Entry {
                            key,
                            key_span,
                            value: pair[1].value.clone(),
                            span: pair[0].span.cover(pair[1].span),
                        });
                    }
                    if !entries.is_empty() {
                        let object = self.push_object(span, entries);
                        self.set(span, Value::Object(object));
                    }
                    continue;
                }
                if !CONTAINERS.contains(&name) {
                    continue;
                }
                if let Some(keywords) = call.keywords {
                    // `mapOf("k" to v)`: the entries are already an object.
                    if call.args.iter().all(|a| a.label.is_some()) {
                        self.model.objects[keywords].kind = ObjectKind::Literal;
                        self.index.insert(self.model.objects[keywords].span, Value::Object(keywords));
                        self.set(span, Value::Object(keywords));
                    }
                    continue;
                }
                let args = call.args.clone();
                if args.is_empty() {
                    continue;
                }
                let entries: Option<Vec<Entry>> = args
                    .iter()
                    .map(|a| {
                        let (key, key_span, value) = self.pair_constructor(&a.value)?;
                        Some(Entry { key, key_span, value, span: a.span })
                    })
                    .collect();
                if let Some(entries) = entries {
                    let object = self.push_object(span, entries);
                    self.set(span, Value::Object(object));
                }
            }
        }

        /// Runs of chained `.add("k", v)` calls: `new FormBody.Builder().add(...).add(...)`,
        /// `Unirest.post(url).field(...)`. Each entry spans its `.add(...)`, so removing
        /// it keeps the chain whole.
        pub fn chain_objects(&mut self) {
            let next = self.chained_on();
            let calls = self.model.calls.len();
            let is_pair = |b: &Self, id: CallId| b.pair_of_statement(id).is_some();
            for start in 0..calls {
                if !is_pair(self, start) {
                    continue;
                }
                if let Some(r) = self.model.calls[start].receiver {
                    if is_pair(self, r) {
                        continue; // not the first of its run
                    }
                }
                let mut run = vec![start];
                while let Some(&n) = next.get(run.last().unwrap()) {
                    if !is_pair(self, n) || run.len() > MAX_CHAIN {
                        break;
                    }
                    run.push(n);
                }
                let last = *run.last().unwrap();
                // A lone `params.put(k, v)` is a statement, gathered with its neighbours.
                if self.model.calls[start].receiver.is_none() && run.len() == 1 && !next.contains_key(&last) {
                    continue;
                }
                let mut entries = Vec::new();
                for &id in &run {
                    let (key, key_span, value) = self.pair_of_statement(id).expect("a pair call");
                    let call = &self.model.calls[id];
                    let from = self.dot_of(id).unwrap_or(call.name_span.start);
                    entries.push(Entry { key, key_span, value, span: Span::new(from, call.span.end) });
                }
                let span = entries[0].span.cover(entries[entries.len() - 1].span);
                let object = self.push_object(span, entries);
                self.set(self.model.calls[last].span, Value::Object(object));
            }
        }

        /// The calls chained on each call: `b` for `a` in `a.b()`.
        fn chained_on(&self) -> HashMap<CallId, CallId> {
            let mut next = HashMap::new();
            for (id, call) in self.model.calls.iter().enumerate() {
                if let Some(r) = call.receiver {
                    next.insert(r, id);
                }
            }
            next
        }

        /// The offset of the `.` (or `?.`) before a call's method name, across spaces and
        /// lines; `None` for a call without a receiver.
        fn dot_of(&self, id: CallId) -> Option<usize> {
            let call = &self.model.calls[id];
            let before = self.source.get(call.span.start..call.name_span.start)?.trim_end();
            let before = before.strip_suffix('.')?;
            let dot = call.span.start + before.strip_suffix('?').unwrap_or(before).len();
            (dot > call.span.start).then_some(dot)
        }

        /// Objects from runs of statements: the variable they fill is bound to the object.
        pub fn statement_objects(&mut self, groups: Vec<Group>) {
            for group in groups {
                let first = group.entries[0].span;
                let span = first.cover(group.entries[group.entries.len() - 1].span);
                let entries = group
                    .entries
                    .into_iter()
                    .map(|e| Entry { key: e.key, key_span: e.key_span, value: e.value, span: e.span })
                    .collect();
                let object = self.push_object(span, entries);
                match group.owner {
                    Owner::Lambda(call) => self.set(call, Value::Object(object)),
                    Owner::Name(name) => {
                        let Some(binding) = self.model.binding_at(&name, first) else { continue };
                        let binding_span = binding.span;
                        if let Some(b) = self.model.bindings.iter_mut().find(|b| {
                            b.name == name
                                && b.span == binding_span
                                && matches!(b.value, Value::Call(_) | Value::Expr(_))
                        }) {
                            b.value = Value::Object(object);
                        }
                    }
                }
            }
        }

        /// `.build()`, `.toString()`, `.trimIndent()`, `.toRequestBody()` of a string or a
        /// built object are that string or object; `JsonPrimitive(x)` is `x`.
        pub fn conversions(&mut self) {
            // A conversion of a conversion (`json.toString().toRequestBody()`) needs the
            // inner one first, wherever it is in the file.
            for _ in 0..4 {
                let before = self.replace.len();
                for id in 0..self.model.calls.len() {
                    self.conversion(id);
                }
                if self.replace.len() == before {
                    break;
                }
            }
        }

        fn conversion(&mut self, id: CallId) {
            let name = self.name(id);
            let call = &self.model.calls[id];
            let span = call.span;
            if self.replace.contains_key(&span) {
                return;
            }
            if WRAPPERS.contains(&name) {
                if let [arg] = call.args.as_slice() {
                    let value = arg.value.clone();
                    self.set(span, value);
                }
                return;
            }
            if !CONVERSIONS.contains(&name) || call.args.len() > 2 {
                return;
            }
            let receiver = match call.receiver {
                Some(r) => Value::Call(r),
                None => {
                    let Some(dot) = self.dot_of(id) else { return };
                    let trimmed = self.source[span.start..dot].trim_end();
                    if trimmed.is_empty() {
                        return;
                    }
                    self.value_at(Span::new(span.start, span.start + trimmed.len()))
                }
            };
            if self.is_data(&receiver) {
                self.set(span, receiver);
            }
        }

        /// True when a value is (or names) a string or an object, once rewritten.
        fn is_data(&self, value: &Value) -> bool {
            let mut value = value.clone();
            for _ in 0..8 {
                value = self.chase(value);
                match self.model.resolve(&value) {
                    Value::String(_) | Value::Object(_) => return true,
                    resolved @ (Value::Call(_) | Value::Expr(_)) if !same(resolved, &value) => value = resolved.clone(),
                    _ => return false,
                }
            }
            false
        }

        /// Calls of a service method whose URL is in its declaration's annotation (Retrofit:
        /// `@POST("oauth/ro") Call<Token> login(...)`, then `api.login(...)`) reach that URL,
        /// so the request and its payload meet.
        pub fn link_endpoints(&mut self, endpoints: &HashMap<String, Span>) {
            if endpoints.is_empty() {
                return;
            }
            for id in 0..self.model.calls.len() {
                let call = &self.model.calls[id];
                if call.is_new || self.dot_of(id).is_none() {
                    continue;
                }
                let Some(&url) = endpoints.get(self.name(id)) else { continue };
                let value = self.value_at(url);
                if matches!(value, Value::String(_)) {
                    self.model.calls[id].args.push(Arg { label: None, value, span: url });
                }
            }
        }

        /// The calls that make one request reach what each of them is given: the calls of
        /// a chain (`new Request.Builder().url(URL).post(body).build()`), and the calls on a
        /// name bound to a request that carries a string (`HttpPost post = new
        /// HttpPost(url); post.setEntity(e)`, `conn.setRequestProperty(...)` after `conn =
        /// new URL(url).openConnection()`). A client built without a URL (`new
        /// OkHttpClient()`) does not join the requests it sends; a call given to a call of
        /// the request (`URI.create(url)`) does. Each group becomes one call of its own (no
        /// callee, an empty span where the request starts) given everything its calls are
        /// given, and every call of the group reaches it. Calls of a chain of one method
        /// (`.addPathSegment("oauth").addPathSegment("ro")`) keep their arguments as written.
        pub fn group_requests(&mut self) {
            let count = self.model.calls.len();
            let mut groups = UnionFind::new(count);
            let mut keep: Vec<bool> = vec![false; count];
            for id in 0..count {
                if let Some(r) = self.model.calls[id].receiver {
                    groups.union(id, r);
                    if self.name(r) == self.name(id) {
                        keep[id] = true;
                        keep[r] = true;
                    }
                }
            }
            // A call given to a call of the request builds part of it: `URI.create(url)` in
            // `HttpRequest.newBuilder(URI.create(url))`, the statements of a Kotlin lambda.
            for id in 0..count {
                let mut nested = Vec::new();
                for arg in &self.model.calls[id].args {
                    match self.chase(arg.value.clone()) {
                        Value::Call(c) => nested.push(c),
                        Value::Array(items, _) => {
                            nested.extend(items.iter().filter_map(|v| match self.chase(v.clone()) {
                                Value::Call(c) => Some(c),
                                _ => None,
                            }))
                        }
                        _ => {}
                    }
                }
                for c in nested {
                    groups.union(id, c);
                }
            }
            let carries_string = |b: &Self, id: CallId| {
                b.model.calls[id]
                    .args
                    .iter()
                    .any(|a| matches!(b.model.resolve(&b.chase(a.value.clone())), Value::String(_)))
            };
            let mut carrying: Vec<bool> = vec![false; count];
            for id in 0..count {
                if carries_string(self, id) {
                    let root = groups.find(id);
                    carrying[root] = true;
                }
            }
            for _ in 0..2 {
                for id in 0..count {
                    let Some(target) = self.bound_receiver(id) else { continue };
                    let (a, b) = (groups.find(id), groups.find(target));
                    if a == b || !carrying[b] {
                        continue;
                    }
                    let either = carrying[a] || carrying[b];
                    groups.union(a, b);
                    let root = groups.find(a);
                    carrying[root] = either;
                }
            }
            let mut members: HashMap<usize, Vec<CallId>> = HashMap::new();
            for id in 0..count {
                members.entry(groups.find(id)).or_default().push(id);
            }
            let mut members: Vec<Vec<CallId>> = members.into_values().filter(|g| g.len() > 1).collect();
            members.sort();
            for group in members {
                let inside: std::collections::HashSet<CallId> = group.iter().copied().collect();
                let mut items: Vec<Value> = Vec::new();
                for &id in &group {
                    for arg in &self.model.calls[id].args {
                        self.gather(&arg.value, &inside, &mut items, 0);
                    }
                    // What the call itself stands for: the form a run of `.add(k, v)` built.
                    match self.chase(Value::Call(id)) {
                        Value::Call(_) => {}
                        value => items.push(value),
                    }
                }
                let outer =
                    group.iter().map(|&id| self.model.calls[id].span).reduce(|a, b| a.cover(b)).expect("members");
                let at = Span::new(outer.start, outer.start);
                let request = self.push_call(Call {
                    span: at,
                    callee: String::new(),
                    name_span: at,
                    is_new: false,
                    args: vec![Arg { label: None, value: Value::Array(items, outer), span: outer }],
                    args_span: at,
                    receiver: None,
                    keywords: None,
                });
                for &id in group.iter().filter(|&&id| !keep[id]) {
                    let span = self.model.calls[id].args_span;
                    self.model.calls[id].args.push(Arg { label: None, value: Value::Call(request), span });
                }
            }
        }

        /// The values a request's calls are given, without the calls of the request
        /// themselves (their own arguments are gathered), so that nothing reaches itself.
        fn gather(
            &self,
            value: &Value,
            inside: &std::collections::HashSet<CallId>,
            items: &mut Vec<Value>,
            depth: usize,
        ) {
            let chased = self.chase(value.clone());
            match self.model.resolve(&chased) {
                Value::Call(c) if inside.contains(c) => {}
                _ => match chased {
                    Value::Array(nested, _) if depth < 4 => {
                        for item in &nested {
                            self.gather(item, inside, items, depth + 1);
                        }
                    }
                    _ => items.push(value.clone()),
                },
            }
        }

        /// The call that the receiver name of a call is bound to: `new HttpPost(url)` for
        /// `post.setEntity(e)`.
        fn bound_receiver(&self, id: CallId) -> Option<CallId> {
            let call = &self.model.calls[id];
            if call.receiver.is_some() || call.is_new {
                return None;
            }
            let dot = self.dot_of(id)?;
            let name = self.source[call.span.start..dot].trim_end();
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
                return None;
            }
            let at = Span::new(call.span.start, call.span.start + name.len());
            let binding = self.model.binding_at(name, at)?;
            match self.chase(binding.value.clone()) {
                Value::Call(target) if target != id => Some(target),
                _ => None,
            }
        }

        /// Follows the rewrites of a value.
        fn chase(&self, mut value: Value) -> Value {
            for _ in 0..8 {
                let span = match &value {
                    Value::Call(id) => self.model.calls[*id].span,
                    Value::Expr(expr) => expr.span,
                    _ => break,
                };
                match self.replace.get(&span) {
                    Some(next) if !same(next, &value) => value = next.clone(),
                    _ => break,
                }
            }
            value
        }

        /// Rewrites every value of the model that stands for a rewritten expression.
        pub fn apply(self) {
            if self.replace.is_empty() {
                return;
            }
            let spans: Vec<Span> = self.model.calls.iter().map(|c| c.span).collect();
            let rewrite = |value: &mut Value| rewrite(value, &self.replace, &spans);
            let model = &mut *self.model;
            for call in &mut model.calls {
                for arg in &mut call.args {
                    rewrite(&mut arg.value);
                }
            }
            for object in &mut model.objects {
                for entry in &mut object.entries {
                    rewrite(&mut entry.value);
                }
            }
            for string in &mut model.strings {
                for part in &mut string.parts {
                    if let Part::Hole(value) = part {
                        rewrite(value);
                    }
                }
            }
            for binding in &mut model.bindings {
                rewrite(&mut binding.value);
            }
        }
    }

    /// Disjoint sets of calls.
    struct UnionFind {
        parent: Vec<usize>,
    }

    impl UnionFind {
        fn new(count: usize) -> UnionFind {
            UnionFind { parent: (0..count).collect() }
        }

        fn find(&mut self, mut x: usize) -> usize {
            while self.parent[x] != x {
                self.parent[x] = self.parent[self.parent[x]];
                x = self.parent[x];
            }
            x
        }

        fn union(&mut self, a: usize, b: usize) {
            let (a, b) = (self.find(a), self.find(b));
            if a != b {
                self.parent[a] = b;
            }
        }
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Call(x), Value::Call(y)) => x == y,
            (Value::Object(x), Value::Object(y)) => x == y,
            (Value::String(x), Value::String(y)) => x == y,
            (Value::Expr(x), Value::Expr(y)) => x.span == y.span,
            _ => false,
        }
    }

    fn rewrite(value: &mut Value, replace: &HashMap<Span, Value>, spans: &[Span]) {
        let mut stack: Vec<&mut Value> = vec![value];
        let mut steps = 0;
        while let Some(v) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            for _ in 0..8 {
                let span = match &*v {
                    Value::Call(id) => spans[*id],
                    Value::Expr(expr) => expr.span,
                    _ => break,
                };
                match replace.get(&span) {
                    Some(next) if !same(next, v) => *v = next.clone(),
                    _ => break,
                }
            }
            if let Value::Array(items, _) = v {
                stack.extend(items.iter_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{ObjectKind, Value};

    fn lower(src: &str) -> FileModel {
        Language::Java.lower(src).unwrap()
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    fn keys(m: &FileModel, id: usize) -> Vec<&str> {
        m.objects[id].entries.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn unescapes_java_sequences() {
        assert_eq!(unescape("\\s").as_deref(), Some(" "));
        assert_eq!(unescape("\\u0041").as_deref(), Some("A"));
        assert_eq!(unescape("\\101").as_deref(), Some("A"));
        assert_eq!(unescape("\\\"").as_deref(), Some("\""));
    }

    #[test]
    fn string_escapes_decode_and_map_back() {
        let src = r#"class A { String s = "https:\u002F\u002Ft.auth0.com/oauth/ro\t\"x\""; }"#;
        let m = lower(src);
        let s = &m.strings[0];
        assert_eq!(s.text(), "https://t.auth0.com/oauth/ro\t\"x\"");
        let at = s.text().find("ro\t").unwrap();
        let (lit, a, b) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "ro");
        let (lit, a, b) = s.locate(6, 7).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "\\u002F");
    }

    #[test]
    fn text_blocks_lose_their_incidental_indentation() {
        let src = "class A {\n    String body = \"\"\"\n        {\n          \"grant_type\": \"password\",  \n          \"connection\": \"db\"\n        }\n        \"\"\";\n}\n";
        let m = lower(src);
        let s = m.strings.iter().find(|s| !s.nested).unwrap();
        assert_eq!(s.text(), "{\n  \"grant_type\": \"password\",\n  \"connection\": \"db\"\n}\n");
        let object = s.embedded.expect("a JSON body");
        let entry = m.objects[object].get("connection").unwrap();
        assert_eq!(&src[entry.key_span.range()], "connection");
        let Value::String(v) = entry.value else { panic!() };
        let (lit, a, b) = m.strings[v].locate(0, 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "db");
        // Closing delimiter on the last line, escapes and line continuations.
        let src = "class A { String t = \"\"\"\n    a\\n\\\n    b\\s\n      c\"\"\"; }";
        assert_eq!(lower(src).strings[0].text(), "a\nb \n  c");
    }

    #[test]
    fn concatenation_and_format_calls_are_one_value() {
        let src = r#"class A {
  void f(String domain, String d) {
    get("https://" + domain + "/oauth/ro");
    get(String.format("https://%s/oauth/ro", domain));
    get(String.format(Locale.ROOT, "https://%s/oauth/%s", domain, "ro"));
    get("https://%s/oauth/ro".formatted(domain));
    get("""
        https://%s/oauth/ro""".formatted(domain));
  }
}"#;
        let m = lower(src);
        let texts = texts(&m);
        assert_eq!(texts.iter().filter(|t| *t == "https://\u{FFFC}/oauth/ro").count(), 4, "{texts:?}");
        assert!(texts.contains(&"https://\u{FFFC}/oauth/\u{FFFC}".to_string()), "{texts:?}");
        let format = m.strings.iter().find(|s| s.text() == "https://\u{FFFC}/oauth/\u{FFFC}").unwrap();
        let holes: Vec<String> = format.holes().map(|h| src[h.span(&m).range()].to_string()).collect();
        assert_eq!(holes, ["domain", "\"ro\""]);
    }

    #[test]
    fn constants_and_fields_are_spliced() {
        let src = r#"class A {
  private static final String DOMAIN = "t.auth0.com";
  static final String RO_URL = "https://" + DOMAIN + "/oauth/ro";
  void f() { String url; url = RO_URL; post(url); }
}"#;
        let m = lower(src);
        assert!(texts(&m).contains(&"https://t.auth0.com/oauth/ro".to_string()));
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["DOMAIN", "RO_URL", "url"]);
        let post = m.calls.iter().find(|c| c.callee == "post").unwrap();
        let resolved = m.string_of(&post.args[0].value).expect("url is bound to RO_URL's string");
        assert_eq!(resolved.text(), "https://t.auth0.com/oauth/ro");
    }

    #[test]
    fn method_calls_have_dotted_callees_and_receivers() {
        let src = r#"class A { void f() {
  HttpUrl url = new HttpUrl.Builder().scheme("https").host(domain)
      .addPathSegment("oauth") // the API
      .addPathSegment("ro").build();
  new HashMap<String, String>();
  this.client.newCall(request).execute();
} }"#;
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        assert!(callees.contains(&"HttpUrl.Builder().scheme().host().addPathSegment().addPathSegment"), "{callees:?}");
        assert!(callees.contains(&"HashMap"), "{callees:?}");
        assert!(callees.contains(&"this.client.newCall().execute"), "{callees:?}");
        let ro = m.calls.iter().find(|c| c.callee.ends_with("addPathSegment().addPathSegment")).unwrap();
        assert_eq!(&src[ro.name_span.range()], "addPathSegment");
        let oauth = &m.calls[ro.receiver.unwrap()];
        assert_eq!(oauth.name(), "addPathSegment");
        assert_eq!(src[oauth.args_span.range()].to_string(), "(\"oauth\")");
        let builder = m.calls.iter().find(|c| c.is_new && c.callee == "HttpUrl.Builder").unwrap();
        assert_eq!(&src[builder.name_span.range()], "Builder");
    }

    #[test]
    fn builders_and_factories_make_objects() {
        let src = r#"class A { void f(String user) {
  RequestBody body = new FormBody.Builder()
      .add("grant_type", "password")
      .add("connection", "db")
      .build();
  Map<String, String> m = Map.of("grant_type", "password", "device", "d");
  String json = new JSONObject().put("user_id", id).put("provider", "google").toString();
  List<NameValuePair> pairs = Arrays.asList(new BasicNameValuePair("grant_type", "password"), new BasicNameValuePair("connection", "sms"));
  Map<String, Object> params = new HashMap<>();
  params.put("grant_type", "password");
  // the database
  params.put("connection", "db");
  log(params);
  params.put("device", "x");
} }"#;
        let m = lower(src);
        let bound = |name: &str| {
            let b = m.bindings.iter().find(|b| b.name == name).unwrap();
            m.object_of(&b.value).unwrap_or_else(|| panic!("{name} is bound to {:?}", b.value))
        };
        let body = bound("body");
        assert_eq!(keys(&m, body), ["grant_type", "connection"]);
        let entry = m.objects[body].get("connection").unwrap();
        assert_eq!(&src[entry.key_span.range()], "connection");
        assert_eq!(&src[entry.span.range()], ".add(\"connection\", \"db\")");
        let map = bound("m");
        assert_eq!(keys(&m, map), ["grant_type", "device"]);
        assert_eq!(&src[m.objects[map].entries[1].span.range()], "\"device\", \"d\"");
        assert_eq!(keys(&m, bound("json")), ["user_id", "provider"]);
        let pairs = bound("pairs");
        assert_eq!(keys(&m, pairs), ["grant_type", "connection"]);
        assert_eq!(&src[m.objects[pairs].entries[1].span.range()], "new BasicNameValuePair(\"connection\", \"sms\")");
        let params = bound("params");
        assert_eq!(keys(&m, params), ["grant_type", "connection"], "a statement in between ends the run");
        assert_eq!(&src[m.objects[params].entries[0].span.range()], "params.put(\"grant_type\", \"password\");");
        assert!(m.objects.iter().all(|o| o.kind == ObjectKind::Literal));
    }

    #[test]
    fn a_chain_is_one_request() {
        let src = r#"class A {
  static final String URL = "https://t.auth0.com/oauth/ro";
  Response f(RequestBody body) {
    Request request = new Request.Builder().url(URL).header("Authorization", "Bearer " + idToken).post(body).build();
    return Unirest.post(URL).header("accept", "application/json").field("grant_type", "password").field("connection", c).asString();
  }
}"#;
        let m = lower(src);
        let reach = |callee: &str| {
            let id = m.calls.iter().position(|c| c.callee.ends_with(callee)).unwrap();
            crate::rules::request::reach_of(&m, id)
        };
        let request = reach("Request.Builder().url().header().post().build");
        let texts: Vec<String> = request.strings.iter().map(|&s| m.strings[s].text()).collect();
        assert!(texts.contains(&"https://t.auth0.com/oauth/ro".to_string()), "{texts:?}");
        assert!(texts.contains(&"Bearer \u{FFFC}".to_string()), "{texts:?}");
        let unirest = reach("asString");
        assert!(unirest.objects.iter().any(|&o| m.objects[o].has("grant_type") && m.objects[o].has("connection")));
        assert!(unirest.strings.iter().any(|&s| m.strings[s].text().ends_with("/oauth/ro")));
    }

    #[test]
    fn statements_on_a_request_and_service_methods_reach_their_urls() {
        let src = r#"class A {
  interface Api {
    @FormUrlEncoded
    @POST("oauth/ro")
    Call<Token> login(@FieldMap Map<String, String> form);
  }
  private final String managementUrl;
  A(String domain) { this.managementUrl = "https://" + domain + "/api/v2/users/"; }
  void f(Api api) { api.login(Map.of("grant_type", "password", "connection", "db")); }
  int g(String id, String idToken) throws Exception {
    HttpURLConnection conn = (HttpURLConnection) new URL(managementUrl + id).openConnection();
    conn.setRequestProperty("Authorization", "Bearer " + idToken);
    try (OutputStream out = conn.getOutputStream()) { out.write(body.getBytes()); }
    return conn.getResponseCode();
  }
  void h(String user) throws Exception {
    HttpPost post = new HttpPost("https://t.auth0.com/oauth/ro");
    post.setEntity(new UrlEncodedFormEntity(params));
    client.execute(post);
  }
}"#;
        let m = lower(src);
        let reach = |callee: &str| {
            let id = m.calls.iter().position(|c| c.callee == callee).unwrap_or_else(|| panic!("{callee}"));
            let r = crate::rules::request::reach_of(&m, id);
            let texts: Vec<String> = r.strings.iter().map(|&s| m.strings[s].text()).collect();
            (texts, r.objects)
        };
        let (texts, objects) = reach("api.login");
        assert!(texts.contains(&"oauth/ro".to_string()), "{texts:?}");
        assert!(objects.iter().any(|&o| m.objects[o].has("connection")));
        // `this.managementUrl = ...` in the constructor is the field `managementUrl`.
        let (texts, _) = reach("conn.setRequestProperty");
        assert!(texts.contains(&"https://\u{FFFC}/api/v2/users/\u{FFFC}".to_string()), "{texts:?}");
        let (texts, _) = reach("out.write");
        assert!(texts.iter().any(|t| t.contains("/api/v2/users/")), "{texts:?}");
        // The construction of the request reaches what is set on it afterwards.
        let (texts, _) = reach("HttpPost");
        assert!(texts.contains(&"https://t.auth0.com/oauth/ro".to_string()), "{texts:?}");
        let post = m.calls.iter().position(|c| c.callee == "HttpPost").unwrap();
        let entity = m.calls.iter().position(|c| c.callee == "UrlEncodedFormEntity").unwrap();
        let reached = crate::rules::request::reach_of(&m, post);
        let entity_reached = crate::rules::request::reach_of(&m, entity);
        assert!(entity_reached.strings.iter().all(|s| reached.strings.contains(s)));
        // A client built without a URL does not join the requests it sends.
        let client = m.calls.iter().position(|c| c.callee == "client.execute").unwrap();
        assert!(m.calls[client].args.len() == 1);
    }

    #[test]
    fn bindings_scopes_and_comments() {
        let src = r#"/** Login. */
class A {
  private String base = "https://t.auth0.com";
  A() { this.base = "https://other"; }
  void f() {
    // legacy
    Runnable r = () -> { String x = "/oauth/ro"; };
  }
}"#;
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["base", "this.base", "r", "x"]);
        assert_eq!(m.comments.len(), 2);
        let scopes: Vec<&str> = m.scopes.iter().map(|s| src[s.range()].lines().next().unwrap()).collect();
        assert_eq!(scopes.len(), 4, "{scopes:?}"); // class body, constructor, method, lambda
        let x = m.strings.iter().find(|s| s.text() == "/oauth/ro").unwrap();
        assert_eq!(&src[m.scope_of(x.span).unwrap().range()], "{ String x = \"/oauth/ro\"; }");
    }

    #[test]
    fn android_code_is_client_side_and_secrets_come_from_the_environment() {
        let activity = "import android.os.Bundle;\nclass A extends Activity { }";
        assert!(lower(activity).client_side);
        assert!(Language::Kotlin.lower("import com.auth0.android.Auth0\nclass A : Fragment()").unwrap().client_side);
        let server = "import org.springframework.web.bind.annotation.GetMapping;\nimport android.util.Log;";
        assert!(!lower(server).client_side);
        let m = lower("class A { String s = \"x\"; }");
        assert!(!m.client_side);
        assert_eq!(m.env_lookup, Some("System.getenv(\"{name}\")"));
        assert_eq!(Language::Kotlin.lower("val s = 1").unwrap().env_lookup, Some("System.getenv(\"{name}\")"));
    }

    #[test]
    fn accept_all_verifiers_and_trust_managers_are_tls_overrides() {
        let src = r#"class A {
  OkHttpClient c = new OkHttpClient.Builder()
      .hostnameVerifier((h, s) -> true)
      .build();
  X509TrustManager t = new X509TrustManager() {
    public void checkServerTrusted(X509Certificate[] c, String a) { /* trust */ }
  };
  HostnameVerifier strict = (h, s) -> h.equals("x");
  @Named("constant") String n;
}"#;
        let m = lower(src);
        let found: Vec<(&str, Option<&str>)> =
            m.tls_overrides.iter().map(|o| (&src[o.span.range()], o.removal.map(|r| &src[r.range()]))).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], ("(h, s) -> true", Some("\n      .hostnameVerifier((h, s) -> true)")));
        assert!(found[1].0.starts_with("public void checkServerTrusted"), "{found:?}");
        assert_eq!(found[1].1, None);
        assert_eq!(m.constant_contexts.iter().map(|c| &src[c.range()]).collect::<Vec<_>>(), ["(\"constant\")"]);

        let src = "object O {\n  const val S = \"abc\"\n  val v = HostnameVerifier { _, _ -> true }\n  fun f() {\n    builder.hostnameVerifier { _, _ -> true }\n    b.hostnameVerifier(HostnameVerifier { _, _ -> true })\n  }\n}\n";
        let m = Language::Kotlin.lower(src).unwrap();
        let found: Vec<(&str, Option<&str>)> =
            m.tls_overrides.iter().map(|o| (&src[o.span.range()], o.removal.map(|r| &src[r.range()]))).collect();
        assert_eq!(
            found,
            [
                ("HostnameVerifier { _, _ -> true }", None),
                ("{ _, _ -> true }", Some("    builder.hostnameVerifier { _, _ -> true }\n")),
                (
                    "HostnameVerifier { _, _ -> true }",
                    Some("    b.hostnameVerifier(HostnameVerifier { _, _ -> true })\n")
                ),
            ]
        );
        assert_eq!(m.constant_contexts.iter().map(|c| &src[c.range()]).collect::<Vec<_>>(), ["\"abc\""]);
    }

    #[test]
    fn guide_unirest_sample_has_a_json_body() {
        let src = r#"class A { void f() {
HttpResponse<String> response = Unirest.post("https://{yourDomain}/api/v2/users/PRIMARY_ACCOUNT_USER_ID/identities")
  .header("authorization", "Bearer ACCESS_TOKEN")
  .header("content-type", "application/json")
  .body("{\"link_with\":\"SECONDARY_ACCOUNT_ID_TOKEN\"}")
  .asString();
} }"#;
        let m = lower(src);
        let json = m.objects.iter().find(|o| o.kind == ObjectKind::Json).unwrap();
        let entry = json.get("link_with").unwrap();
        assert_eq!(&src[entry.key_span.range()], "link_with");
        assert!(m.syntax_errors.is_empty());
    }
}

/// The checker of the Java and Kotlin fixtures: without the libraries they use, no
/// compiler can check them, so they must at least parse without a syntax error.
#[cfg(test)]
mod fixture_syntax {
    #[test]
    fn java_and_kotlin_fixtures_parse_without_errors() {
        let mut bad = Vec::new();
        for dir in std::fs::read_dir("fixtures").unwrap() {
            for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if ext != "java" && ext != "kt" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lang = crate::lang::Language::from_extension(ext).unwrap();
                let n = lang.syntax_errors(&text).unwrap();
                if n > 0 {
                    bad.push(format!("{} {n}", path.display()));
                }
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
