//! CronJob schedules as the API server parses them (robfig/cron v3's
//! standard parser, which Kubernetes' validation calls): five fields, or a
//! `@` macro, after an optional `CRON_TZ=` / `TZ=` prefix. `Ok` carries the
//! time-zone prefix if any; `Err` says what is wrong, for the message.

/// One field's name and bounds, and the names it accepts.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
    },
    Field {
        name: "day of week",
        min: 0,
        max: 6,
        names: DAYS,
    },
];

const MACROS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// A parsed schedule: the time zone its `CRON_TZ=`/`TZ=` prefix names.
#[derive(Debug, PartialEq)]
pub struct Schedule<'a> {
    pub time_zone: Option<&'a str>,
}

pub fn parse(schedule: &str) -> Result<Schedule<'_>, String> {
    let mut spec = schedule.trim();
    let mut time_zone = None;
    if let Some(rest) = spec
        .strip_prefix("CRON_TZ=")
        .or_else(|| spec.strip_prefix("TZ="))
    {
        let Some((zone, rest)) = rest.split_once(char::is_whitespace) else {
            return Err("a time-zone prefix needs a schedule after it".to_string());
        };
        if zone.is_empty() {
            return Err("the time-zone prefix names no zone".to_string());
        }
        time_zone = Some(zone);
        spec = rest.trim();
    }
    if spec.is_empty() {
        return Err("the schedule is empty".to_string());
    }
    if let Some(macro_name) = spec.strip_prefix('@') {
        if let Some(duration) = macro_name.strip_prefix("every ") {
            return go_duration(duration.trim())
                .map(|()| Schedule { time_zone })
                .map_err(|e| format!("@every {e}"));
        }
        if MACROS.contains(&spec) {
            return Ok(Schedule { time_zone });
        }
        return Err(format!(
            "unknown macro `{spec}` (known: {}, @every DURATION)",
            MACROS.join(", ")
        ));
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != FIELDS.len() {
        return Err(format!(
            "{} fields where 5 are expected (minute hour day-of-month month day-of-week)",
            fields.len()
        ));
    }
    for (text, field) in fields.iter().zip(FIELDS.iter()) {
        for item in text.split(',') {
            range(item, field).map_err(|e| format!("{} field `{text}`: {e}", field.name))?;
        }
    }
    Ok(Schedule { time_zone })
}

/// One comma-separated item: `*`, `?`, `N`, `N-M`, each with an optional
/// `/STEP` (`N/STEP` runs from N to the field's maximum).
fn range(item: &str, field: &Field) -> Result<(), String> {
    let mut slash = item.split('/');
    let range = slash.next().unwrap_or("");
    let step = slash.next();
    if slash.next().is_some() {
        return Err(format!("`{item}` has more than one `/`"));
    }
    let mut hyphen = range.split('-');
    let low = hyphen.next().unwrap_or("");
    let high = hyphen.next();
    if hyphen.next().is_some() {
        return Err(format!("`{item}` has more than one `-`"));
    }
    let (start, end) = if low == "*" || low == "?" {
        (field.min, field.max)
    } else {
        let start = value(low, field)?;
        let end = match (high, step) {
            (Some(h), _) => value(h, field)?,
            (None, Some(_)) => field.max,
            (None, None) => start,
        };
        (start, end)
    };
    if let Some(step) = step {
        let n = number(step)?;
        if n == 0 {
            return Err(format!("`{item}` has a step of 0"));
        }
    }
    if start < field.min {
        return Err(format!("{start} is below the minimum {}", field.min));
    }
    if end > field.max {
        return Err(format!("{end} is above the maximum {}", field.max));
    }
    if start > end {
        return Err(format!("the range `{range}` starts after it ends"));
    }
    Ok(())
}

/// A number, or one of the field's names (case-insensitive: `JAN`, `mon`).
fn value(text: &str, field: &Field) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = field.names.iter().position(|n| *n == lower) {
        let i = u32::try_from(i).map_err(|_| "a name out of range".to_string())?;
        // Months count from 1, days of the week from 0.
        return Ok(if field.min == 1 { i + 1 } else { i });
    }
    number(text)
}

fn number(text: &str) -> Result<u32, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if text.is_empty() {
            "an empty value".to_string()
        } else {
            format!("`{text}` is not a number")
        });
    }
    digits.parse().map_err(|_| format!("`{text}` is too large"))
}

/// Go's `time.ParseDuration`: `[-+]` then one or more `NUMBER UNIT`
/// (`1h30m`, `1.5h`, `300ms`), or a lone `0`.
fn go_duration(text: &str) -> Result<(), String> {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if t == "0" {
        return Ok(());
    }
    if t.is_empty() {
        return Err("needs a duration (`@every 1h30m`)".to_string());
    }
    let mut rest = t;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = rest.get(..number_len).unwrap_or("");
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(format!("`{text}` is not a duration (`1h30m`, `90s`)"));
        }
        rest = rest.get(number_len..).unwrap_or("");
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len).unwrap_or("");
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return Err(format!(
                "`{text}` has unit `{unit}`: Go durations use ns, us, ms, s, m, h"
            ));
        }
        rest = rest.get(unit_len..).unwrap_or("");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn schedules_the_api_server_accepts() {
        for ok in [
            "* * * * *",
            "0 * * * *",
            "*/5 * * * *",
            "0 0 1 1 *",
            "0-59/15 0-23 1-31 1-12 0-6",
            "5,10,15 2 * * 1-5",
            "0 3 * JAN-MAR mon",
            "0 3 * jan,jul SUN-SAT",
            "0 0 ? * ?",
            "30 2/3 * * *",
            "  0 0 * * *  ",
            "@hourly",
            "@daily",
            "@midnight",
            "@weekly",
            "@monthly",
            "@yearly",
            "@annually",
            "@every 1h30m",
            "@every 1.5h",
            "@every 0",
            "CRON_TZ=Europe/Berlin 0 9 * * 1-5",
            "TZ=UTC @daily",
            "0\t0 * * *",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
        assert_eq!(
            parse("CRON_TZ=Asia/Tokyo 0 9 * * *").map(|s| s.time_zone),
            Ok(Some("Asia/Tokyo"))
        );
    }

    #[test]
    fn schedules_the_api_server_rejects() {
        for (bad, says) in [
            ("", "empty"),
            ("* * * *", "4 fields"),
            ("0 0 * * * *", "6 fields"),
            ("60 * * * *", "above the maximum 59"),
            ("* 24 * * *", "above the maximum 23"),
            ("* * 0 * *", "below the minimum 1"),
            ("* * 32 * *", "above the maximum 31"),
            ("* * * 13 *", "above the maximum 12"),
            ("* * * * 7", "above the maximum 6"),
            ("5-1 * * * *", "starts after it ends"),
            ("*/0 * * * *", "step of 0"),
            ("1/2/3 * * * *", "more than one `/`"),
            ("1-2-3 * * * *", "more than one `-`"),
            ("a * * * *", "not a number"),
            ("1,,2 * * * *", "empty value"),
            ("* * * foo *", "not a number"),
            ("* * * * funday", "not a number"),
            ("@fortnightly", "unknown macro"),
            ("@every", "unknown macro"),
            ("@every 5 minutes", "unit `"),
            ("@every 5x", "unit `x`"),
            ("CRON_TZ=UTC", "needs a schedule"),
            ("TZ= 0 * * * *", "names no zone"),
            ("*/5 * * * * ?", "6 fields"),
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
