//! Kubernetes naming rules (apimachinery's validation), written from the API
//! conventions: DNS-1123 subdomain and label names, label keys and values.

/// DNS-1123 label: at most 63 chars, `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!(
            "must be at most 63 characters (it has {})",
            s.len()
        ));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("must consist of lower-case letters, digits and '-'".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// DNS-1123 subdomain: at most 253 chars, dot-separated DNS-1123 labels
/// (each part may be up to 253 here, as apimachinery checks the whole).
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err(format!(
            "must be at most 253 characters (it has {})",
            s.len()
        ));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err("must consist of lower-case letters, digits, '-' and '.'".into());
    }
    for part in s.split('.') {
        if part.is_empty() || part.starts_with('-') || part.ends_with('-') {
            return Err("each dot-separated part must start and end with a letter or digit".into());
        }
    }
    Ok(())
}

/// IANA_SVC_NAME (RFC 6335 section 5.1), what apimachinery's
/// `IsValidPortName` checks for container port names and port references
/// given by name: at most 15 characters, lower-case letters, digits and '-',
/// at least one letter, no leading, trailing or doubled '-'.
pub fn iana_svc_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 15 {
        return Err(format!(
            "must be at most 15 characters (it has {})",
            s.len()
        ));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("must consist of lower-case letters, digits and '-'".into());
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if s.contains("--") {
        return Err("must not contain \"--\"".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must not start or end with '-'".into());
    }
    Ok(())
}

/// Which name rule a kind's `metadata.name` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    /// DNS-1123 label (Service, Namespace, ...).
    Label,
    /// DNS-1123 subdomain (most kinds).
    Subdomain,
    /// Path segment only: RBAC objects accept nearly anything but `/`, `%`, `.`, `..`.
    PathSegment,
    /// Not validated here (custom resources: their CRD decides).
    Unchecked,
}

pub fn name_rule(api_version: &str, kind: &str) -> NameRule {
    if !super::kinds::is_builtin_group(api_version) {
        return NameRule::Unchecked;
    }
    match kind {
        "Service" | "Namespace" => NameRule::Label,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

pub fn path_segment(s: &str) -> Result<(), String> {
    if s == "." || s == ".." {
        return Err(format!("may not be '{s}'"));
    }
    if s.contains('/') || s.contains('%') {
        return Err("may not contain '/' or '%'".into());
    }
    Ok(())
}

/// A qualified name: `[prefix/]name`, name at most 63 chars of
/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, prefix a DNS-1123 subdomain.
/// Label keys and annotation keys both follow it.
pub fn qualified_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            return Err("its prefix before '/' must not be empty".into());
        }
        dns1123_subdomain(prefix)
            .map_err(|e| format!("its prefix \"{prefix}\" is not a valid DNS subdomain ({e})"))?;
    }
    if name.is_empty() {
        return Err("its name part after '/' must not be empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "its name part must be at most 63 characters (it has {})",
            name.len()
        ));
    }
    name_chars(name).map_err(|e| format!("its name part {e}"))
}

/// Label value: empty, or at most 63 chars of the qualified-name alphabet.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > 63 {
        return Err(format!(
            "must be at most 63 characters (it has {})",
            value.len()
        ));
    }
    name_chars(value)
}

fn name_chars(s: &str) -> Result<(), String> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err("must consist of letters, digits, '-', '_' and '.'".into());
    }
    let ok_end = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !ok_end(s.bytes().next()) || !ok_end(s.bytes().last()) {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_subdomains() {
        assert!(dns1123_label("web-1").is_ok());
        assert!(dns1123_label("Web").is_err());
        assert!(dns1123_label("-web").is_err());
        assert!(dns1123_label(&"a".repeat(64)).is_err());
        assert!(dns1123_subdomain("my.app-1").is_ok());
        assert!(dns1123_subdomain("my..app").is_err());
        assert!(dns1123_subdomain("my_app").is_err());
        assert!(path_segment("system:controller:foo").is_ok());
        assert!(path_segment("a/b").is_err());
    }

    #[test]
    fn port_names() {
        assert!(iana_svc_name("http").is_ok());
        assert!(iana_svc_name("n23456789012345").is_ok());
        assert!(iana_svc_name("h2c-9").is_ok());
        assert!(iana_svc_name("n234567890123456").is_err());
        assert!(iana_svc_name("123456").is_err());
        assert!(iana_svc_name("HTTP").is_err());
        assert!(iana_svc_name("a--b").is_err());
        assert!(iana_svc_name("-a").is_err());
        assert!(iana_svc_name("a-").is_err());
        assert!(iana_svc_name("a_b").is_err());
        assert!(iana_svc_name("").is_err());
    }

    #[test]
    fn keys_and_values() {
        assert!(qualified_key("app").is_ok());
        assert!(qualified_key("app.kubernetes.io/name").is_ok());
        assert!(qualified_key("App_Name.x").is_ok());
        assert!(qualified_key("/name").is_err());
        assert!(qualified_key("Example.com/name").is_err());
        assert!(qualified_key("a/b/c").is_err());
        assert!(qualified_key("name-").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3").is_ok());
        assert!(label_value("has space").is_err());
        assert!(label_value(&"x".repeat(64)).is_err());
    }
}
