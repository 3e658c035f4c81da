//! The request `kwire trace` follows: a URL, a method and headers.

/// A parsed `http(s)://host[:port]/path[?query]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    /// Lower-cased, without a trailing dot.
    pub host: String,
    pub port: u16,
    /// Whether the port was written (`http://svc:8080`).
    pub explicit_port: bool,
    /// Starts with `/`.
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl Url {
    /// Reads a URL; `svc:8080/x` and `svc` (no scheme) are taken as http.
    pub fn parse(text: &str) -> Result<Url, String> {
        let text = text.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_string(), text),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            other => {
                return Err(format!(
                    "unsupported scheme \"{other}\" (kwire trace follows http and https requests)"
                ));
            }
        };
        let rest = rest.split('#').next().unwrap_or("");
        let (authority, path_query) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        // user:password@ is not part of routing.
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = split_port(authority)?;
        if host.is_empty() {
            return Err(format!("no host in \"{text}\""));
        }
        let (path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p, q),
            None => (path_query, ""),
        };
        let path = if path.is_empty() {
            "/".to_string()
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let query = query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv.to_string(), String::new()),
            })
            .collect();
        Ok(Url {
            scheme,
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port: port.unwrap_or(default_port),
            explicit_port: port.is_some(),
            path,
            query,
        })
    }

    /// `host` with the port when it is not the scheme's default.
    pub fn authority(&self) -> String {
        match (self.scheme.as_str(), self.port) {
            ("http", 80) | ("https", 443) => self.host.clone(),
            _ => format!("{}:{}", self.host, self.port),
        }
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    // [v6]:port
    if let Some(rest) = authority.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return Err(format!("unclosed \"[\" in \"{authority}\""));
        };
        return match after.strip_prefix(':') {
            Some(p) => Ok((host, Some(parse_port(p)?))),
            None => Ok((host, None)),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, p)) => Ok((host, Some(parse_port(p)?))),
        None => Ok((authority, None)),
    }
}

fn parse_port(p: &str) -> Result<u16, String> {
    p.parse::<u16>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("port \"{p}\" is not a number from 1 to 65535"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_type() {
        let u = Url::parse("http://Echo.Example.com/echo-hostname?a=1&b").unwrap();
        assert_eq!(u.host, "echo.example.com");
        assert_eq!((u.port, u.explicit_port), (80, false));
        assert_eq!(u.path, "/echo-hostname");
        assert_eq!(
            u.query,
            vec![("a".into(), "1".into()), ("b".into(), String::new())]
        );
        let u = Url::parse("hostname-service:8080").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.port),
            ("http", "hostname-service", 8080)
        );
        assert_eq!(u.path, "/");
        let u = Url::parse("https://[::1]:8443/x").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 8443));
        assert_eq!(Url::parse("https://a.b.").unwrap().port, 443);
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://x:0").is_err());
        assert!(Url::parse("http://x:99999").is_err());
        assert!(Url::parse("http:///path").is_err());
    }
}
