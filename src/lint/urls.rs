//! Is an external URL well formed? A deliberately small check for the
//! mistakes people make by hand (`http:/x`, `https://exa mple.org`, a bare
//! `www.` host, `htps://`), not a full URL parser: anything it does not
//! understand (other schemes) passes.

/// Does a front-matter string look like it is meant as a URL?
pub fn looks_like_url(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("htp")
        || lower.starts_with("www.")
}

fn host_problem(host: &str) -> Option<&'static str> {
    if host.is_empty() {
        return Some("it has no host");
    }
    if host.starts_with('[') {
        let ok = host.ends_with(']')
            && host[1..host.len() - 1]
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        return (!ok).then_some("its IPv6 host is malformed");
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Some("its host has an empty part (`..`)");
    }
    let valid = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    if labels
        .iter()
        .any(|l| !l.chars().all(valid) || l.starts_with('-') || l.ends_with('-'))
    {
        return Some("its host has characters a host name cannot have");
    }
    if labels.len() == 1 && host != "localhost" {
        return Some("its host has no domain (such as `.org`)");
    }
    None
}

fn http_problem(rest: &str) -> Option<&'static str> {
    let Some(rest) = rest.strip_prefix("//") else {
        return Some("`http:` and `https:` must be followed by `//`");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    if let Some(port) = port {
        if !port.is_empty() && port.parse::<u16>().is_err() {
            return Some("its port is not a number from 0 to 65535");
        }
    }
    host_problem(host)
}

/// What is wrong with `url`, if anything.
pub fn problem(url: &str) -> Option<&'static str> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains spaces or control characters (write %20)");
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("www.") {
        return Some("it has no scheme: write https://www.…");
    }
    let (scheme, rest) = url.split_once(':')?;
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => http_problem(rest),
        "mailto" if !rest.contains('@') => Some("a mailto: link needs an address with `@`"),
        s if s.starts_with("ht") || s == "ttp" || s == "ttps" => {
            Some("unknown scheme: did you mean https://?")
        }
        _ => None,
    }
}
