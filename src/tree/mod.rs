//! The account hierarchy across regions: a model of plain data ([`model`]), how it loads
//! ([`load`]), and the WAI-ARIA tree view that shows it ([`view`]).

pub mod load;
pub mod model;
pub mod view;
