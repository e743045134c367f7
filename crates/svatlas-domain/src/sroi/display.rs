//! Rounding and formatting for display only (METHOD.md §10): the engine itself never rounds.
//!
//! Rounding is half away from zero on the number as written in decimal (its shortest
//! round-trip representation), so `1.005` rounds to `1.01` as a person would expect, even though
//! the nearest binary double is slightly below 1.005.

/// Rounds to `dp` decimal places (at most 15), half away from zero, on the decimal form of `x`.
/// Non-finite values are returned unchanged; a result of zero is always `+0.0`.
pub fn round_dp(x: f64, dp: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let dp = dp.min(15);
    // `Display` for f64 prints the shortest decimal that round-trips, never in exponent form.
    let text = format!("{}", x.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), ""));
    if frac_part.len() <= dp {
        return x;
    }
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes().take(dp)).collect();
    if frac_part.as_bytes().get(dp).is_some_and(|&d| d >= b'5') {
        increment_decimal(&mut digits);
    }
    let int_len = digits.len() - dp;
    let mut rounded = String::with_capacity(digits.len() + 2);
    rounded.extend(digits[..int_len].iter().map(|&d| char::from(d)));
    rounded.push('.');
    rounded.extend(digits[int_len..].iter().map(|&d| char::from(d)));
    rounded.push('0');
    let magnitude: f64 = rounded.parse().unwrap_or(x.abs());
    if magnitude == 0.0 {
        0.0
    } else {
        magnitude.copysign(x)
    }
}

/// Adds one unit in the last place to a string of ASCII digits, growing it on carry-out.
fn increment_decimal(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

/// Money for display: 2 dp, half away from zero.
pub fn round_money(x: f64) -> f64 {
    round_dp(x, 2)
}

/// Ratio for display: 2 dp, half away from zero.
pub fn round_ratio(x: f64) -> f64 {
    round_dp(x, 2)
}

/// Formats a 2-dp rounded magnitude with thousands separators, e.g. `1234.5` → `"1,234.50"`.
fn grouped_2dp(x: f64) -> String {
    let fixed = format!("{:.2}", round_money(x).abs());
    let (int_part, frac_part) = fixed.split_once('.').unwrap_or((fixed.as_str(), "00"));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3 + 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{frac_part}")
}

fn sign(x: f64) -> &'static str {
    if round_money(x) < 0.0 { "-" } else { "" }
}

/// Money as shown to users: `"£1,234.57"`, `"-£3,000.00"`; `"n/a"` when not finite.
pub fn format_money(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    format!("{}£{}", sign(x), grouped_2dp(x))
}

/// A ratio as the label METHOD.md §4 uses: `"£2.42 for every £1"`; `"n/a"` when not finite.
pub fn format_ratio(ratio: f64) -> String {
    if !ratio.is_finite() {
        return "n/a".to_string();
    }
    format!("{} for every £1", format_money(ratio))
}

/// A ratio in the short form: `"£2.42 : £1"`; `"n/a"` when not finite.
pub fn format_ratio_short(ratio: f64) -> String {
    if !ratio.is_finite() {
        return "n/a".to_string();
    }
    format!("{} : £1", format_money(ratio))
}

/// A share as a percentage to 1 dp: `0.689696` → `"69.0%"`; `"n/a"` when not finite.
pub fn format_percent(share: f64) -> String {
    if !share.is_finite() {
        return "n/a".to_string();
    }
    format!("{:.1}%", round_dp(share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_on_decimal_value() {
        assert_eq!(round_money(1.005), 1.01);
        assert_eq!(round_money(2.675), 2.68);
        assert_eq!(round_money(-2.675), -2.68);
        assert_eq!(round_money(0.125), 0.13);
        assert_eq!(round_money(-0.125), -0.13);
        assert_eq!(round_money(1.004_999), 1.0);
        assert_eq!(round_money(137_487.636_564), 137_487.64);
        assert_eq!(round_money(9.995), 10.0);
        assert_eq!(round_money(999.999), 1000.0);
        assert_eq!(round_money(12.0), 12.0);
        assert_eq!(round_money(1e-300), 0.0);
        assert!(round_money(-0.001).is_sign_positive());
        assert_eq!(round_money(1e300), 1e300);
        assert!(round_money(f64::NAN).is_nan());
        assert_eq!(round_dp(0.123_456, 3), 0.123);
        assert_eq!(round_dp(2.5, 0), 3.0);
    }

    #[test]
    fn formats_money_and_ratios() {
        assert_eq!(format_money(137_487.636_564), "£137,487.64");
        assert_eq!(format_money(-3000.0), "-£3,000.00");
        assert_eq!(format_money(-0.001), "£0.00");
        assert_eq!(format_money(999.995), "£1,000.00");
        assert_eq!(format_money(1_234_567.0), "£1,234,567.00");
        assert_eq!(format_money(12.0), "£12.00");
        assert_eq!(format_ratio(2.416_983), "£2.42 for every £1");
        assert_eq!(format_ratio_short(6.402_728), "£6.40 : £1");
        assert_eq!(format_ratio(f64::NAN), "n/a");
        assert_eq!(format_percent(0.689_696), "69.0%");
        assert_eq!(format_percent(0.606_948), "60.7%");
    }
}
