//! Kubernetes resource quantities (`500m`, `1.5Gi`, `128974848`, `129e6`,
//! `123Mi`) as exact fractions, to compare requests with limits. A
//! quantity that does not parse is `None`: reporting it is the schema
//! rule's business, not the comparing rule's.

use std::cmp::Ordering;

use crate::parse::{Node, Value};

/// `num / den`, `den` positive. Equality is of the value: `500m` == `0.5`.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    num: u128,
    den: u128,
}

impl Quantity {
    pub fn parse(text: &str) -> Option<Quantity> {
        let t = text.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        let number_end = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, suffix) = t.split_at(number_end);
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        if (int.is_empty() && frac.is_empty()) || frac.contains('.') || frac.len() > 18 {
            return None;
        }
        let mut num: u128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            num = num.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
        }
        let mut q = Quantity {
            num,
            den: 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?,
        };
        let pow10 = |e: u32| 10u128.checked_pow(e);
        let pow2 = |e: u32| 2u128.checked_pow(e);
        let (mul, div) = match suffix {
            "" => (1, 1),
            "n" => (1, pow10(9)?),
            "u" => (1, pow10(6)?),
            "m" => (1, pow10(3)?),
            "k" => (pow10(3)?, 1),
            "M" => (pow10(6)?, 1),
            "G" => (pow10(9)?, 1),
            "T" => (pow10(12)?, 1),
            "P" => (pow10(15)?, 1),
            "E" => (pow10(18)?, 1),
            "Ki" => (pow2(10)?, 1),
            "Mi" => (pow2(20)?, 1),
            "Gi" => (pow2(30)?, 1),
            "Ti" => (pow2(40)?, 1),
            "Pi" => (pow2(50)?, 1),
            "Ei" => (pow2(60)?, 1),
            exp => {
                let digits = exp.strip_prefix(['e', 'E'])?;
                let (neg, digits) = match digits.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, digits.strip_prefix('+').unwrap_or(digits)),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let e: u32 = digits.parse().ok()?;
                if neg { (1, pow10(e)?) } else { (pow10(e)?, 1) }
            }
        };
        q.num = q.num.checked_mul(mul)?;
        q.den = q.den.checked_mul(div)?;
        Some(q)
    }

    /// A quantity as YAML gives it: a string, or a bare integer or float
    /// (`memory: 128974848`, `cpu: 0.5`, `memory: 129e6`), read from its
    /// source text `written` so a float is not rounded on the way.
    pub fn from_node(node: &Node, written: &str) -> Option<Quantity> {
        match &node.value {
            Value::Str(s) => Quantity::parse(s),
            Value::Int(i) => u128::try_from(*i).ok().map(|num| Quantity { num, den: 1 }),
            Value::Float(_) => Quantity::parse(written),
            _ => None,
        }
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        match (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            (Some(a), Some(b)) => a.cmp(&b),
            // Too large to compare exactly: close enough in floating point.
            _ => (self.num as f64 / self.den as f64)
                .total_cmp(&(other.num as f64 / other.den as f64)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(q("500m"), q("0.5"));
        assert_eq!(q("1.5Gi"), q("1536Mi"));
        assert_eq!(q("128974848"), q("128974848"));
        assert_eq!(q("129e6"), q("129M"));
        assert_eq!(q("123Mi"), q("125952Ki"));
        assert_eq!(q("1e-3"), q("1m"));
        assert_eq!(q(".5"), q("500m"));
        assert!(q("123Mi") < q("129e6"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("100m") < q("1"));
        for bad in [
            "", "500mb", "0.5.1", "Gi", "1.5 Gi", "-1", "1e", "abc", "1x",
        ] {
            assert_eq!(Quantity::parse(bad), None, "{bad}");
        }
    }
}
