//! Page fingerprints: a hash of everything a page's render depends on
//! besides the templates, fed straight from the context's `Serialize`
//! into a hasher. Nothing is written out (no JSON, no escaping, no number
//! formatting): strings go in as their bytes after their length, numbers
//! as their bits, and every list, map, option and variant with a tag or a
//! length, so that two different contexts do not feed the same bytes.

use std::hash::{BuildHasher, Hasher};

use serde::ser::{self, Serialize};

/// foldhash with a fixed seed: the same fingerprint in every run.
type Fold = foldhash::quality::FoldHasher<'static>;

/// The fingerprint of `value`, starting from `salt` and `name`.
pub fn fingerprint(salt: u64, name: &str, value: &impl Serialize) -> u64 {
    let mut h = foldhash::quality::FixedState::with_seed(0x6272_6965_6621).build_hasher();
    h.write_u64(salt);
    h.write_usize(name.len());
    h.write(name.as_bytes());
    let mut feed = Feed(&mut h);
    if value.serialize(&mut feed).is_err() {
        // Never happens (feeding cannot fail), but a context that would
        // not serialise must not look like another one.
        feed.0.write_u8(0xee);
    }
    h.finish()
}

/// Feeds what it is given into the hasher.
struct Feed<'h>(&'h mut Fold);

/// The only error: a type's own `Serialize` failing.
#[derive(Debug)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value failed to serialise")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Failed
    }
}

// Tags that keep different shapes apart.
const UNIT: u8 = 1;
const NONE: u8 = 2;
const SOME: u8 = 3;
const VARIANT: u8 = 4;
const SEQ: u8 = 5;
const MAP: u8 = 6;
const END: u8 = 7;

impl Feed<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.write_usize(b.len());
        self.0.write(b);
    }
}

impl<'a, 'h> ser::Serializer for &'a mut Feed<'h> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Failed> {
        self.0.write_u8(v as u8);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Failed> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Failed> {
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Failed> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Failed> {
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Failed> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Failed> {
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Failed> {
        self.0.write_u32(v as u32);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Failed> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Failed> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Failed> {
        self.0.write_u8(NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Failed> {
        self.0.write_u8(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failed> {
        self.0.write_u8(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Failed> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
    ) -> Result<(), Failed> {
        self.0.write_u8(VARIANT);
        self.0.write_u32(i);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.0.write_u8(VARIANT);
        self.0.write_u32(i);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Failed> {
        self.0.write_u8(SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.0.write_u8(VARIANT);
        self.0.write_u32(i);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Failed> {
        self.0.write_u8(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Failed> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.0.write_u8(VARIANT);
        self.0.write_u32(i);
        self.serialize_map(None)
    }
}

/// Every element follows a tag, and the end is marked, so that where one
/// list ends is part of what is hashed.
impl Feed<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
        self.0.write_u8(SEQ);
        value.serialize(&mut *self)
    }

    fn end(&mut self) -> Result<(), Failed> {
        self.0.write_u8(END);
        Ok(())
    }

    fn field(&mut self, key: &str) {
        self.0.write_u8(MAP);
        self.bytes(key.as_bytes());
    }
}

/// The list-like parts: each element tagged, the end marked.
macro_rules! elements {
    ($($part:ident :: $method:ident),*) => {$(
        impl ser::$part for &mut Feed<'_> {
            type Ok = ();
            type Error = Failed;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
                self.element(value)
            }
            fn end(self) -> Result<(), Failed> {
                Feed::end(self)
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The struct-like parts: each field's name, then its value.
macro_rules! fields {
    ($($part:ident),*) => {$(
        impl ser::$part for &mut Feed<'_> {
            type Ok = ();
            type Error = Failed;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Failed> {
                self.field(key);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Failed> {
                Feed::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Failed> {
        self.0.write_u8(MAP);
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Failed> {
        Feed::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Page<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        date: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<u32>,
        facts: BTreeMap<&'a str, &'a str>,
    }

    fn page<'a>(title: &'a str, tags: Vec<&'a str>, date: Option<&'a str>) -> Page<'a> {
        Page {
            title,
            tags,
            date,
            extra: None,
            facts: BTreeMap::new(),
        }
    }

    #[test]
    fn the_same_context_gives_the_same_fingerprint_and_shapes_stay_apart() {
        let fp = |p: &Page<'_>| fingerprint(7, "note.html", p);
        let a = page("Alibaba", vec!["ai", "cloud"], Some("2024-01-05"));
        assert_eq!(
            fp(&a),
            fp(&page("Alibaba", vec!["ai", "cloud"], Some("2024-01-05")))
        );
        let different = [
            page("Alibab", vec!["aai", "cloud"], Some("2024-01-05")),
            page("Alibaba", vec!["aic", "loud"], Some("2024-01-05")),
            page("Alibaba", vec!["ai", "cloud", ""], Some("2024-01-05")),
            page("Alibaba", vec!["ai", "cloud"], None),
            page("Alibaba", vec!["ai", "cloud"], Some("")),
            page("Alibaba", vec!["ai"], Some("cloud")),
        ];
        for (i, d) in different.iter().enumerate() {
            assert_ne!(fp(&a), fp(d), "case {i}");
        }
        let mut with_extra = page("Alibaba", vec!["ai", "cloud"], Some("2024-01-05"));
        with_extra.extra = Some(0);
        assert_ne!(fp(&a), fp(&with_extra));
        let mut with_fact = page("Alibaba", vec!["ai", "cloud"], Some("2024-01-05"));
        with_fact.facts.insert("hq", "Hangzhou");
        assert_ne!(fp(&a), fp(&with_fact));
        assert_ne!(fp(&a), fingerprint(8, "note.html", &a));
        assert_ne!(fp(&a), fingerprint(7, "list.html", &a));
    }
}
