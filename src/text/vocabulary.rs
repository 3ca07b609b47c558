//! Word identities: every word of a document interned once, lowercased, so
//! rules and the score compare words by number instead of allocating and
//! hashing a lowercased copy of each word again.

use std::collections::HashMap;

/// The distinct lowercased words of one document and the id of each word.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Lowercased text of each id.
    words: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32, foldhash::fast::FixedState>,
    buf: String,
}

impl Vocabulary {
    /// The id of `word`, compared in lowercase; new words get the next id.
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        let key: &str = if word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || !b.is_ascii_alphabetic())
            && word.is_ascii()
        {
            word
        } else {
            self.buf.clear();
            if word.is_ascii() {
                self.buf
                    .extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                self.buf.extend(word.chars().flat_map(char::to_lowercase));
            }
            &self.buf
        };
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.words.len() as u32;
        let boxed: Box<str> = key.into();
        self.words.push(boxed.clone());
        self.ids.insert(boxed, id);
        id
    }

    /// The lowercased text of word `id`.
    pub fn text(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// The id of a lowercased word, if the document has it.
    pub fn id(&self, lowercase: &str) -> Option<u32> {
        self.ids.get(lowercase).copied()
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the document has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every distinct word with its id.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.words.iter().enumerate().map(|(i, w)| (i as u32, &**w))
    }

    /// Gives back spare capacity once the document is tokenized.
    pub(crate) fn finish(&mut self) {
        self.buf = String::new();
        self.words.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::Vocabulary;

    #[test]
    fn case_insensitive_ids() {
        let mut v = Vocabulary::default();
        let a = v.intern("Delve");
        assert_eq!(v.intern("delve"), a);
        assert_eq!(v.intern("DELVE"), a);
        let b = v.intern("Café");
        assert_eq!(v.intern("café"), b);
        assert_ne!(a, b);
        assert_eq!(v.text(b), "café");
        assert_eq!(v.id("delve"), Some(a));
        assert_eq!(v.id("Delve"), None);
        assert_eq!(v.len(), 2);
    }
}
