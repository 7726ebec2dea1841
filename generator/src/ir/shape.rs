//! What a value is, decided once: [`Shape`] replaces the triple of a type expression, an
//! optional code list and a bag of constraints, of which only some apply to each kind.

use super::{CodeListId, Constraints, TypeExpr, TypeId};

/// How text is written on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// Any text.
    Plain,
    /// A date-time in the documented format.
    DateTime,
    /// A date.
    Date,
    /// A month (`2024-01`).
    Month,
}

/// What a value of a field or parameter is, with the constraints that apply to it and no others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Text, with its length limits in characters.
    Text {
        /// How it is written.
        format: TextFormat,
        /// Fewest characters.
        min_length: Option<u64>,
        /// Most characters.
        max_length: Option<u64>,
    },
    /// An integer, with its range and the most digits the documents allow.
    Integer {
        /// 64-bit (`long`) rather than 32-bit.
        long: bool,
        /// Inclusive minimum.
        minimum: Option<i64>,
        /// Inclusive maximum.
        maximum: Option<i64>,
        /// Most decimal digits (the documents' "maximum length" of a number).
        max_digits: Option<u64>,
    },
    /// An exact decimal.
    Decimal,
    /// A binary float.
    Number,
    /// A boolean.
    Boolean,
    /// Any JSON.
    Json,
    /// A code of a code list: the documented codes are its only constraint.
    Code(CodeListId),
    /// An object of a spec type.
    Object(TypeId),
    /// A list, with its size limits; the items carry no constraints of their own.
    List {
        /// What each item is.
        item: Box<Shape>,
        /// Fewest items.
        min_items: Option<u64>,
        /// Most items.
        max_items: Option<u64>,
    },
    /// A map with string keys.
    Map(Box<Shape>),
}

impl Shape {
    /// The shape of a value of type `ty` holding codes of `code_list` (its items' codes, for a
    /// list), constrained by `c`. The checks guarantee that a code list sits on integer or text
    /// values, or on lists of them.
    pub fn of(ty: &TypeExpr, code_list: Option<CodeListId>, c: &Constraints) -> Shape {
        let text = |format| Shape::Text {
            format,
            min_length: c.min_length,
            max_length: c.max_length,
        };
        match (ty, code_list) {
            (TypeExpr::List(inner), _) => Shape::List {
                item: Box::new(Shape::of(inner, code_list, &Constraints::default())),
                min_items: c.min_items,
                max_items: c.max_items,
            },
            (_, Some(cl)) => Shape::Code(cl),
            (TypeExpr::String, None) => text(TextFormat::Plain),
            (TypeExpr::DateTime, None) => text(TextFormat::DateTime),
            (TypeExpr::Date, None) => text(TextFormat::Date),
            (TypeExpr::Month, None) => text(TextFormat::Month),
            (TypeExpr::Integer | TypeExpr::Long, None) => Shape::Integer {
                long: *ty == TypeExpr::Long,
                minimum: c.minimum,
                maximum: c.maximum,
                max_digits: c.max_length,
            },
            (TypeExpr::Decimal, None) => Shape::Decimal,
            (TypeExpr::Number, None) => Shape::Number,
            (TypeExpr::Boolean, None) => Shape::Boolean,
            (TypeExpr::Json, None) => Shape::Json,
            (TypeExpr::Named(t), None) => Shape::Object(*t),
            (TypeExpr::Map(inner), None) => {
                Shape::Map(Box::new(Shape::of(inner, None, &Constraints::default())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Constraints {
        Constraints {
            max_length: Some(64),
            min_length: Some(1),
            minimum: Some(0),
            maximum: Some(10),
            min_items: Some(1),
            max_items: Some(100),
        }
    }

    #[test]
    fn text_keeps_its_lengths_only() {
        assert_eq!(
            Shape::of(&TypeExpr::Month, None, &limits()),
            Shape::Text {
                format: TextFormat::Month,
                min_length: Some(1),
                max_length: Some(64)
            }
        );
    }

    #[test]
    fn an_integer_reads_its_maximum_length_as_digits() {
        assert_eq!(
            Shape::of(&TypeExpr::Long, None, &limits()),
            Shape::Integer {
                long: true,
                minimum: Some(0),
                maximum: Some(10),
                max_digits: Some(64)
            }
        );
    }

    #[test]
    fn a_code_drops_every_constraint() {
        let cl = CodeListId(3);
        assert_eq!(
            Shape::of(&TypeExpr::Integer, Some(cl), &limits()),
            Shape::Code(cl)
        );
        assert_eq!(
            Shape::of(&TypeExpr::String, Some(cl), &limits()),
            Shape::Code(cl)
        );
    }

    #[test]
    fn a_list_keeps_its_size_and_its_items_keep_nothing_else() {
        let cl = CodeListId(0);
        assert_eq!(
            Shape::of(
                &TypeExpr::List(Box::new(TypeExpr::String)),
                Some(cl),
                &limits()
            ),
            Shape::List {
                item: Box::new(Shape::Code(cl)),
                min_items: Some(1),
                max_items: Some(100)
            }
        );
        assert_eq!(
            Shape::of(&TypeExpr::List(Box::new(TypeExpr::String)), None, &limits()),
            Shape::List {
                item: Box::new(Shape::Text {
                    format: TextFormat::Plain,
                    min_length: None,
                    max_length: None
                }),
                min_items: Some(1),
                max_items: Some(100)
            }
        );
    }

    #[test]
    fn objects_maps_and_plain_kinds() {
        let t = TypeId(7);
        assert_eq!(
            Shape::of(&TypeExpr::Named(t), None, &limits()),
            Shape::Object(t)
        );
        assert_eq!(
            Shape::of(&TypeExpr::Map(Box::new(TypeExpr::Decimal)), None, &limits()),
            Shape::Map(Box::new(Shape::Decimal))
        );
        for (ty, shape) in [
            (TypeExpr::Decimal, Shape::Decimal),
            (TypeExpr::Number, Shape::Number),
            (TypeExpr::Boolean, Shape::Boolean),
            (TypeExpr::Json, Shape::Json),
        ] {
            assert_eq!(Shape::of(&ty, None, &limits()), shape);
        }
    }
}
