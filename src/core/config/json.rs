//! JSON text → [`Value`], keeping object keys in document order (a Python `dict` keeps
//! insertion order, and `dictConfig` processes sections in that order).

use std::fmt;
use std::rc::Rc;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::core::value::{Text, Value};

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(Text::from(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(Text::from(v)))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed)? {
            items.push(v);
        }
        Ok(Value::List(Rc::new(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut items: Vec<(Value, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed)?;
            // A repeated key replaces the earlier value in place, as a Python dict literal does.
            match items
                .iter_mut()
                .find(|(k, _)| k.as_str() == Some(key.as_str()))
            {
                Some(slot) => slot.1 = value,
                None => items.push((Value::Str(Text::from(key)), value)),
            }
        }
        Ok(Value::Dict(Rc::new(items)))
    }
}

struct Seed;

impl<'de> de::DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Parses JSON text into a [`Value`] (`null` → `None`, objects → ordered `dict`s); a syntax
/// error reports its line and column.
pub fn parse_json(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = de::DeserializeSeed::deserialize(Seed, &mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_document_order_and_numbers_their_type() {
        let v =
            parse_json(r#"{"b": 1, "a": [true, null, 2.5, "x"], "c": {"z": 1, "y": 2}}"#).unwrap();
        let Value::Dict(items) = &v else { panic!() };
        let keys: Vec<_> = items.iter().map(|(k, _)| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert!(matches!(v.dict_get("b"), Some(Value::Int(1))));
        assert!(
            matches!(v.dict_get("a"), Some(Value::List(l)) if matches!(l[2], Value::Float(f) if f == 2.5))
        );
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let err = parse_json("{\n  \"a\": 1,\n}").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert!(parse_json("[1] 2").is_err());
    }
}
