// A response type with the generated `Deserialize`: one `visit_map`, keys matched through
// `FieldIndex` (here by a search of the wire names, where the generator writes a `match`),
// values read by the runtime's tolerant seeds, unknown keys skipped, no `visit_seq`. Included
// by the envelope property test, the peak-memory test and the fuzz targets, which all read
// answers into payloads shaped as the generator emits them.

macro_rules! wire_struct {
    ($name:ident { $($field:ident: $ty:ty = $wire:literal => $seed:expr,)* } required [$($req:ident = $req_wire:literal),*]) => {
        #[derive(Debug, Default)]
        #[allow(dead_code)]
        pub struct $name {
            $(pub $field: $ty,)*
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];
                fn field_of(key: &str) -> Option<usize> {
                    FIELDS.iter().position(|wire| *wire == key)
                }
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("an object `", stringify!($name), "`"))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(field) = map.next_key_seed(FieldIndex(field_of))? {
                            match field.map(|i| FIELDS[i]) {
                                $(Some($wire) => out.$field = map.next_value_seed($seed)?,)*
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                }
                            }
                        }
                        $(if out.$req.is_none() {
                            return Err(de::Error::missing_field($req_wire));
                        })*
                        Ok(out)
                    }
                }
                d.deserialize_struct(stringify!($name), FIELDS, V)
            }
        }
    };
}
