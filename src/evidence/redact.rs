//! No secret reaches a case: values under keys that name credentials are replaced, and
//! where each replacement was made is returned so that the redaction itself is recorded.

use serde_json::Value;

pub const REDACTED: &str = "[REDACTED]";

/// Keys (compared without case, `_` and `-`) whose values are secrets.
fn is_secret_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: &[&str] = &[
        "secretaccesskey",
        "awssecretaccesskey",
        "sessiontoken",
        "awssessiontoken",
        "securitytoken",
        "password",
        "passwd",
        "privatekey",
        "keymaterial",
        "secretstring",
        "secretbinary",
        "clientsecret",
        "authorization",
        "credentials",
        "apikey",
        "token",
    ];
    EXACT.contains(&k.as_str()) || k.ends_with("secret") || k.ends_with("password")
}

/// Redacts a value in place; returns the JSON pointers of what was redacted.
pub fn redact(value: &mut Value) -> Vec<String> {
    let mut redacted = Vec::new();
    walk(value, String::new(), &mut redacted);
    redacted
}

fn walk(value: &mut Value, pointer: String, redacted: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if is_secret_key(key) && !v.is_null() && *v != Value::String(REDACTED.into()) {
                    *v = Value::String(REDACTED.into());
                    redacted.push(here);
                } else {
                    walk(v, here, redacted);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, format!("{pointer}/{i}"), redacted);
            }
        }
        // JSON kept as a string (CloudTrail's `CloudTrailEvent`, whose `responseElements`
        // may hold an AssumeRole session token): redacted inside, then kept as a string.
        Value::String(text) if text.trim_start().starts_with(['{', '[']) => {
            if let Ok(mut inner) = serde_json::from_str::<Value>(text) {
                let before = redacted.len();
                walk(&mut inner, pointer, redacted);
                if redacted.len() > before {
                    *text = inner.to_string();
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted_and_named() {
        let mut v = serde_json::json!({
            "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "abc", "SessionToken": "t"},
            "Users": [{"UserName": "eve", "Password": "hunter2", "AccessKeyId": "AKIAEXAMPLE"}],
            "aws_secret_access_key": "x",
            "NextToken": "page2"
        });
        let redacted = redact(&mut v);
        assert_eq!(
            redacted,
            vec![
                "/Credentials",
                "/Users/0/Password",
                "/aws_secret_access_key"
            ]
        );
        assert_eq!(v["Credentials"], REDACTED);
        // Identifiers are evidence, not secrets.
        assert_eq!(v["Users"][0]["AccessKeyId"], "AKIAEXAMPLE");
        assert_eq!(v["NextToken"], "page2");
    }
}
