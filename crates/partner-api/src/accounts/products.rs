//! `/users/{id}/product` and `/users/{id}/portfolio`: the product (plan) an account has, and
//! the products a partner may assign.

use super::{accounts_get, root, text};
use crate::call::{decode_with, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{Request, Response};
use crate::wire::xml::{Element, XmlWriter};
use crate::wire::DecodeError;
use serde::{Deserialize, Serialize};

/// `GET /users/{id}/product`: the effective product; `None` when neither the account nor an
/// ancestor has one (the region's 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProduct(pub AccountId);

impl Call for GetProduct {
    type Output = Option<Product>;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/product", self.0))
    }
    fn decode(&self, r: &Response) -> Result<Option<Product>, ApiError> {
        if r.status == 404 {
            return Ok(None);
        }
        decode_with(r, Product::from_xml).map(Some)
    }
}

/// `GET /users/{id}/portfolio`: the products the partner may assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPortfolio(pub AccountId);

impl Call for GetPortfolio {
    type Output = Portfolio;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/portfolio", self.0))
    }
    fn decode(&self, r: &Response) -> Result<Portfolio, ApiError> {
        decode_with(r, Portfolio::from_xml)
    }
}

/// A product (plan) a partner can assign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
}

impl Product {
    const EXPECTED: &'static str = "a <product> document with <id> and <name>";

    fn write(&self, w: &mut XmlWriter) {
        w.open("product")
            .text("id", &self.id)
            .text("name", &self.name)
            .close();
    }

    fn read(e: &Element) -> Option<Product> {
        let id = text(e, &["id"])?;
        Some(Product {
            name: text(e, &["name"]).unwrap_or_else(|| id.clone()),
            id,
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "product", Self::EXPECTED)?;
        Product::read(&e).ok_or(DecodeError {
            expected: Self::EXPECTED,
            detail: "<id> is missing".into(),
        })
    }
}

/// `GET /users/{id}/portfolio`: the products a partner may assign.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Portfolio {
    pub products: Vec<Product>,
}

impl Portfolio {
    const EXPECTED: &'static str = "a <portfolio> list of products";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("portfolio");
        for p in &self.products {
            p.write(&mut w);
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "portfolio", Self::EXPECTED)?;
        Ok(Portfolio {
            products: e
                .children_named("product")
                .filter_map(Product::read)
                .collect(),
        })
    }
}
