//! The calls of the contract, typed: the [`Call`] trait (a [`Request`] to send and a decoder
//! for the [`Response`]) and the helpers every call uses. The calls themselves live with their
//! area: [`crate::accounts`] and [`crate::enterprise`], one module per area.

use crate::error::ApiError;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::DecodeError;

/// A typed call: how to ask, and how to read the answer.
pub trait Call {
    type Output;

    fn request(&self) -> Request;

    /// Reads a response; any status outside 2xx becomes the matching [`ApiError`].
    fn decode(&self, response: &Response) -> Result<Self::Output, ApiError>;
}

pub(crate) fn decode_with<T>(
    response: &Response,
    read: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, ApiError> {
    if !response.is_success() {
        return Err(ApiError::from_response(response));
    }
    read(&response.body).map_err(ApiError::Malformed)
}

pub(crate) fn write(
    family: Family,
    method: Method,
    path: String,
    content_type: &'static str,
    body: String,
    idempotent: bool,
) -> Request {
    Request {
        family,
        method,
        path,
        query: Vec::new(),
        headers: vec![("Content-Type", content_type.to_owned())],
        body: Some(body),
        idempotent,
    }
}

/// Any 2xx is success; the body (plain text, empty, or anything) is not needed.
pub(crate) fn expect_success(r: &Response) -> Result<(), ApiError> {
    if r.is_success() {
        Ok(())
    } else {
        Err(ApiError::from_response(r))
    }
}
