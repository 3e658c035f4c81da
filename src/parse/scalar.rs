//! Typing of scalars as Kubernetes types them.
//!
//! kubectl and the API server read YAML through `sigs.k8s.io/yaml`, which
//! decodes with go-yaml v2 (a YAML 1.1 resolver) and converts the result to
//! JSON. go-yaml v2's `resolve.go` is therefore the authority here, not the
//! YAML 1.1 or 1.2 specs. Its rules for a **plain, untagged** scalar `s`:
//!
//! 1. Only the first byte decides which rules can apply: `yYnNtTfFoO~`
//!    (table lookup only), `.` (table, then float), a digit or `+`/`-`
//!    (table, then number); `""` is null. Any other first byte: string.
//! 2. Table (exact, case variants as listed; nothing else):
//!    - `true`: `y Y yes Yes YES true True TRUE on On ON`
//!    - `false`: `n N no No NO false False FALSE off Off OFF`
//!    - null: `"" ~ null Null NULL`
//!    - NaN: `.nan .NaN .NAN`; +inf: `.inf .Inf .INF +.inf +.Inf +.INF`;
//!      -inf: `-.inf -.Inf -.INF`.
//!
//!    go-yaml v2 *does* treat `y`/`n` as booleans (YAML 1.1 lists them too;
//!    YAML 1.2 and go-yaml v3 do not). `tRUE` or `yES` stay strings.
//! 3. First byte `.`: Go `ParseFloat` — `.5`, `.5e3` are floats.
//! 4. First byte digit or sign: every `_` is removed, then
//!    - Go `ParseInt(s, 0, 64)`: optional sign, `0x`/`0X` hex, `0b`/`0B`
//!      binary, `0o`/`0O` octal, a leading `0` means octal (`0644` = 420),
//!      otherwise decimal. `1_000` = 1000, `-0x1F` = -31.
//!    - else Go `ParseUint` (no sign allowed): values in `i64::MAX+1 ..=
//!      u64::MAX` are unsigned ints in Go; kwire's tree has no u64, so they
//!      become `Float`.
//!    - else the YAML 1.1 float pattern
//!      `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`: `1e3`, `1.`,
//!      `08` (an invalid octal, so a float 8.0!), and decimal integers too
//!      large for 64 bits. A float that overflows to infinity (`1e400`) is a
//!      Go parse error, so it stays a string.
//!    - timestamps (`2001-12-14`) are tried first by go-yaml, but they never
//!      parse as numbers either, and Kubernetes' JSON conversion turns them
//!      back into strings: kwire keeps them as strings.
//!    - anything else (`1.2.3`, `0x`, `+`, `1-2`) is a string.
//! 5. `<<` is the merge key; the builder handles it, here it is a string.
//!
//! Quoted and block scalars without a tag are always strings. An explicit
//! core tag is honoured whatever the style: `!!str` forces a string;
//! `!!int`, `!!float`, `!!bool`, `!!null` resolve the text with the rules
//! above and must yield that type (`!!float 1` is 1.0), otherwise go-yaml
//! fails (`cannot decode !!str `abc` as a !!int`); `!!timestamp`,
//! `!!binary` and every other tag (custom `!foo`, non-specific `!`) give a
//! string, as go-yaml returns the raw text for tags it cannot resolve.

use super::tree::Value;

/// What go-yaml's resolver produces before kwire maps it onto [`Value`].
#[derive(Clone, Debug, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// Fits u64 but not i64 (Go returns a uint64).
    Uint(u64),
    Float(f64),
    Str,
}

impl Resolved {
    fn into_value(self, text: &str) -> Value {
        match self {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::Int(i),
            Resolved::Uint(u) => Value::Float(u as f64),
            Resolved::Float(f) => Value::Float(f),
            Resolved::Str => Value::Str(text.into()),
        }
    }
}

/// Types a plain, untagged scalar.
pub fn resolve_plain(text: &str) -> Value {
    resolve(text).into_value(text)
}

/// Types a scalar carrying an explicit tag. `core` is the tag's name in the
/// `tag:yaml.org,2002:` namespace (`"int"` for `!!int`), `None` for any
/// other tag. `Err` carries go-yaml's reason for rejecting the value.
pub fn resolve_tagged(core: Option<&str>, text: &str) -> Result<Value, String> {
    let Some(tag) = core else {
        return Ok(Value::Str(text.into()));
    };
    let resolved = match tag {
        "bool" | "int" | "float" | "null" => resolve(text),
        // str, timestamp, binary, merge, map, seq... are not resolved.
        _ => return Ok(Value::Str(text.into())),
    };
    let fits = match (tag, &resolved) {
        ("bool", Resolved::Bool(_)) | ("null", Resolved::Null) => true,
        ("int", Resolved::Int(_) | Resolved::Uint(_)) => true,
        ("float", Resolved::Float(_)) => true,
        ("float", Resolved::Int(i)) => return Ok(Value::Float(*i as f64)),
        ("float", Resolved::Uint(u)) => return Ok(Value::Float(*u as f64)),
        _ => false,
    };
    if fits {
        Ok(resolved.into_value(text))
    } else {
        Err(format!("cannot decode `{text}` as !!{tag}"))
    }
}

/// go-yaml v2's fixed table (rule 2).
fn table(text: &str) -> Option<Resolved> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve(text: &str) -> Resolved {
    let Some(&first) = text.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            table(text).unwrap_or(Resolved::Str)
        }
        b'.' => table(text)
            .or_else(|| dot_float(text))
            .unwrap_or(Resolved::Str),
        b'0'..=b'9' | b'+' | b'-' => table(text)
            .or_else(|| number(text))
            .unwrap_or(Resolved::Str),
        _ => Resolved::Str,
    }
}

/// Rule 3: Go's `ParseFloat` on text starting with `.` (underscores only
/// between digits, as Go requires).
fn dot_float(text: &str) -> Option<Resolved> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let after = bytes.get(i + 1);
            if !before.is_some_and(u8::is_ascii_digit) || !after.is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
    }
    let plain = text.replace('_', "");
    float_pattern(&plain)
        .then(|| finite_float(&plain))
        .flatten()
}

/// Rule 4: ints (Go base-0 syntax), uints, then the YAML float pattern.
fn number(text: &str) -> Option<Resolved> {
    let plain = if text.contains('_') {
        std::borrow::Cow::Owned(text.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let (negative, signed, body) = match plain.as_bytes().first() {
        Some(b'-') => (true, true, plain.get(1..).unwrap_or("")),
        Some(b'+') => (false, true, plain.get(1..).unwrap_or("")),
        _ => (false, false, &*plain),
    };
    if let Some(magnitude) = go_base0_magnitude(body) {
        if negative {
            if magnitude <= 1u64 << 63 {
                // -(2^63) is i64::MIN; wrapping_neg maps it exactly.
                return Some(Resolved::Int((magnitude as i64).wrapping_neg()));
            }
        } else if let Ok(i) = i64::try_from(magnitude) {
            return Some(Resolved::Int(i));
        } else if !signed {
            // Go's ParseUint accepts no sign at all.
            return Some(Resolved::Uint(magnitude));
        }
    }
    if float_pattern(&plain) {
        return finite_float(&plain);
    }
    None
}

/// Magnitude of an unsigned Go integer literal with base prefix detection
/// (`strconv.ParseUint(s, 0, 64)`); `None` on syntax error or overflow.
fn go_base0_magnitude(body: &str) -> Option<u64> {
    let bytes = body.as_bytes();
    let (radix, digits) = match bytes {
        [b'0', b'x' | b'X', ..] => (16, body.get(2..)?),
        [b'0', b'b' | b'B', ..] => (2, body.get(2..)?),
        [b'0', b'o' | b'O', ..] => (8, body.get(2..)?),
        [b'0', _, ..] => (8, body.get(1..)?),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn float_pattern(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's ParseFloat reports a range error (so go-yaml falls back to a string)
/// when a finite literal overflows to infinity.
fn finite_float(s: &str) -> Option<Resolved> {
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(Resolved::Float(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Value {
        resolve_plain(s)
    }
    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn booleans_follow_go_yaml_v2_table() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        ] {
            assert_eq!(p(t), Value::Bool(true), "{t}");
        }
        for f in [
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ] {
            assert_eq!(p(f), Value::Bool(false), "{f}");
        }
        for not in ["tRUE", "yES", "oN", "nO ", "True!", "yes please", "t", "f"] {
            assert_eq!(p(not), s(not), "{not}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(p(n), Value::Null, "{n:?}");
        }
        assert_eq!(p("nULL"), s("nULL"));
        assert_eq!(p("None"), s("None"));
    }

    #[test]
    fn decimal_ints_with_signs_and_underscores() {
        assert_eq!(p("0"), Value::Int(0));
        assert_eq!(p("80"), Value::Int(80));
        assert_eq!(p("+80"), Value::Int(80));
        assert_eq!(p("-80"), Value::Int(-80));
        assert_eq!(p("1_000"), Value::Int(1000));
        assert_eq!(p("1__0_"), Value::Int(10));
        assert_eq!(p("9223372036854775807"), Value::Int(i64::MAX));
        assert_eq!(p("-9223372036854775808"), Value::Int(i64::MIN));
        // A leading underscore is not a number start.
        assert_eq!(p("_1"), s("_1"));
    }

    #[test]
    fn hex_octal_binary() {
        assert_eq!(p("0x1F"), Value::Int(31));
        assert_eq!(p("0X1f"), Value::Int(31));
        assert_eq!(p("-0x1F"), Value::Int(-31));
        assert_eq!(p("0644"), Value::Int(420));
        assert_eq!(p("0o17"), Value::Int(15));
        assert_eq!(p("0b101"), Value::Int(5));
        assert_eq!(p("-0b101"), Value::Int(-5));
        assert_eq!(p("0b1_01"), Value::Int(5));
        assert_eq!(p("0x"), s("0x"));
        assert_eq!(p("0xZZ"), s("0xZZ"));
        // An invalid octal matches go-yaml's float pattern.
        assert_eq!(p("08"), Value::Float(8.0));
        assert_eq!(p("0o8"), s("0o8"));
    }

    #[test]
    fn overflowing_ints_become_floats() {
        assert_eq!(
            p("9223372036854775808"),
            Value::Float(9_223_372_036_854_775_808.0)
        );
        assert_eq!(
            p("18446744073709551615"),
            Value::Float(18_446_744_073_709_551_615.0)
        );
        assert_eq!(p("99999999999999999999"), Value::Float(1e20));
        assert_eq!(p("-99999999999999999999"), Value::Float(-1e20));
        assert_eq!(
            p("0xFFFFFFFFFFFFFFFF"),
            Value::Float(18_446_744_073_709_551_615.0)
        );
        // Too big even for u64, and not decimal: no rule applies.
        assert_eq!(p("0x1FFFFFFFFFFFFFFFF"), s("0x1FFFFFFFFFFFFFFFF"));
    }

    #[test]
    fn floats() {
        assert_eq!(p("1.5"), Value::Float(1.5));
        assert_eq!(p("-1.5"), Value::Float(-1.5));
        assert_eq!(p("1."), Value::Float(1.0));
        assert_eq!(p(".5"), Value::Float(0.5));
        assert_eq!(p("-.5"), Value::Float(-0.5));
        assert_eq!(p("1e3"), Value::Float(1000.0));
        assert_eq!(p("1.5E-2"), Value::Float(0.015));
        assert_eq!(p("1_000.5"), Value::Float(1000.5));
        assert_eq!(p(".inf"), Value::Float(f64::INFINITY));
        assert_eq!(p("+.Inf"), Value::Float(f64::INFINITY));
        assert_eq!(p("-.INF"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(p(".nan"), Value::Float(f) if f.is_nan()));
        assert!(matches!(p(".NaN"), Value::Float(f) if f.is_nan()));
        for not in [
            "1e400", "1.2.3", ".", "1e", ".e3", "+", "-", ".inF", "1-2", "inf", "NaN",
        ] {
            assert_eq!(p(not), s(not), "{not}");
        }
    }

    #[test]
    fn timestamps_and_other_text_are_strings() {
        for t in [
            "2001-12-14",
            "2001-12-14T21:59:43.10-05:00",
            "12:30",
            "v1",
            "<<",
            "@x",
        ] {
            assert_eq!(p(t), s(t), "{t}");
        }
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(resolve_tagged(Some("str"), "80"), Ok(s("80")));
        assert_eq!(resolve_tagged(Some("str"), "yes"), Ok(s("yes")));
        assert_eq!(resolve_tagged(Some("int"), "0x10"), Ok(Value::Int(16)));
        assert_eq!(resolve_tagged(Some("float"), "1"), Ok(Value::Float(1.0)));
        assert_eq!(resolve_tagged(Some("bool"), "on"), Ok(Value::Bool(true)));
        assert_eq!(resolve_tagged(Some("null"), ""), Ok(Value::Null));
        assert!(resolve_tagged(Some("int"), "abc").is_err());
        assert!(resolve_tagged(Some("bool"), "1").is_err());
        assert_eq!(
            resolve_tagged(Some("timestamp"), "2001-12-14"),
            Ok(s("2001-12-14"))
        );
        assert_eq!(resolve_tagged(None, "80"), Ok(s("80")));
    }
}
