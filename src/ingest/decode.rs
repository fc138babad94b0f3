//! Bytes to text: binary sniffing, BOM and CRLF handling, lossy UTF-8 decoding, and repair of
//! mojibake (UTF-8 that was once decoded as Windows-1252, such as `â€”` for `—`).

use encoding_rs::WINDOWS_1252;

use crate::model::Diagnostics;

/// Why a file is not text.
pub fn binary_reason(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 7] = [
        (b"\x89PNG", "a PNG image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PAR1", "a Parquet file"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(what);
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then_some("binary data (NUL bytes)")
}

/// Decodes a file's bytes to text with LF line ends, noting every repair in `diags`.
pub fn decode(bytes: &[u8], diags: &mut Diagnostics) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => {
            let line = line_of_byte(bytes, err.valid_up_to());
            diags.warn(
                line,
                "invalid-utf8",
                format!("invalid UTF-8 at byte {}; decoded lossily (bad bytes became U+FFFD)", err.valid_up_to()),
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    repair_mojibake(text, diags)
}

fn line_of_byte(bytes: &[u8], offset: usize) -> u32 {
    let newlines = bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// The Windows-1252 byte that `c` was decoded from, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return None;
    }
    let mut utf8 = [0u8; 4];
    let (bytes, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut utf8));
    match (unmappable, bytes.as_ref()) {
        (false, [b]) if *b >= 0x80 => Some(*b),
        _ => None,
    }
}

/// Replaces every run of characters whose Windows-1252 bytes form valid multi-byte UTF-8.
fn repair_mojibake(text: String, diags: &mut Diagnostics) -> String {
    // Every mojibake sequence starts with a lead byte 0xC2..=0xF4 read as Windows-1252, which is
    // the character U+00C2..=U+00F4 (Windows-1252 agrees with Latin-1 there): in UTF-8, the byte
    // 0xC3 followed by 0x82..=0xB4, and then a character that is not ASCII (a continuation byte
    // read as Windows-1252). Only such places are looked at; the text between them is copied
    // whole, and nothing at all when there is nothing to repair.
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut from) = (0usize, 0usize);
    let (mut repaired, mut first) = (0usize, None);
    while let Some(at) = memchr::memchr(0xC3, &bytes[from..]).map(|i| from + i) {
        from = at + 1;
        let lead = bytes.get(at + 1).is_some_and(|b| (0x82..=0xB4).contains(b));
        if !lead || bytes.get(at + 2).is_none_or(|b| *b < 0xC2) {
            continue;
        }
        // 0xC3 only ever starts a character, so `at` is a character boundary.
        let chars: Vec<char> = text[at..].chars().take(4).collect();
        let Some((fixed, used)) = decode_sequence(&chars) else { continue };
        let end = at + chars[..used].iter().map(|c| c.len_utf8()).sum::<usize>();
        repaired += 1;
        if first.is_none() {
            // Repaired sequences hold no line break: lines are counted in the text as read.
            let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
            first = Some((u32::try_from(line).unwrap_or(u32::MAX), text[at..end].to_owned(), fixed));
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..at]);
        out.push(fixed);
        (copied, from) = (end, end);
    }
    let Some(mut out) = out else { return text };
    out.push_str(&text[copied..]);
    if let Some((line, from, to)) = first {
        diags.info(
            line,
            "mojibake-repaired",
            format!("repaired {repaired} mojibake sequence(s) (UTF-8 read as Windows-1252), first `{from}` -> `{to}`"),
        );
    }
    out
}

/// Decodes one UTF-8 character from the Windows-1252 bytes of the leading characters.
fn decode_sequence(chars: &[char]) -> Option<(char, usize)> {
    let first = *chars.first()?;
    if !('\u{C2}'..='\u{F4}').contains(&first) {
        return None;
    }
    let lead = cp1252_byte(first)?;
    let width = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for &c in chars.get(1..width)? {
        let b = cp1252_byte(c).or_else(|| u8::try_from(u32::from(c)).ok().filter(|b| (0x80..0xA0).contains(b)))?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
    }
    let decoded = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    Some((decoded, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, Vec<&'static str>) {
        let mut diags = Diagnostics::new("t");
        let text = decode(bytes, &mut diags);
        (text, diags.into_vec().into_iter().map(|d| d.code).collect())
    }

    #[test]
    fn repairs_windows_1252_mojibake() {
        let (text, codes) = decoded("1.6Ã— fewer; questionâ€”yes; A â†’ B".as_bytes());
        assert_eq!(text, "1.6× fewer; question—yes; A → B");
        assert_eq!(codes, ["mojibake-repaired"]);
    }

    #[test]
    fn repairs_between_genuine_accents_and_names_the_first_line() {
        let mut diags = Diagnostics::new("t");
        let text = decode("déjà vu, Ã©\nline two: 1.6Ã— and â€”, naïve Ã".as_bytes(), &mut diags);
        assert_eq!(text, "déjà vu, é\nline two: 1.6× and —, naïve Ã");
        let d = diags.into_vec();
        assert_eq!((d[0].code, d[0].line), ("mojibake-repaired", 1));
        assert!(d[0].message.contains("repaired 3 mojibake sequence(s)"), "{}", d[0].message);
    }

    #[test]
    fn keeps_genuine_accents() {
        let (text, codes) = decoded("São Paulo, Stańczak, naïve, “quoted” — déjà".as_bytes());
        assert_eq!(text, "São Paulo, Stańczak, naïve, “quoted” — déjà");
        assert!(codes.is_empty());
    }

    #[test]
    fn strips_bom_and_crlf() {
        let (text, _) = decoded(b"\xef\xbb\xbfa\r\nb\r\n");
        assert_eq!(text, "a\nb\n");
    }

    #[test]
    fn invalid_utf8_is_lossy_with_line() {
        let mut diags = Diagnostics::new("t");
        let text = decode(b"ok\nbad \xff here\n", &mut diags);
        assert_eq!(text, "ok\nbad \u{fffd} here\n");
        let d = diags.into_vec();
        assert_eq!((d[0].code, d[0].line), ("invalid-utf8", 2));
    }

    #[test]
    fn sniffs_binary() {
        assert_eq!(binary_reason(b"\x89PNG\r\n"), Some("a PNG image"));
        assert!(binary_reason(b"text\0more").is_some());
        assert!(binary_reason(b"plain text").is_none());
    }
}
