//! The [`Call`] trait: a [`Request`] to send and a decoder for the [`Response`]. It sits above
//! both the wire and the errors, so neither imports the other.

use crate::error::ApiError;
use crate::wire::request::{Request, Response};

/// A typed call: how to ask, and how to read the answer.
pub trait Call {
    type Output;

    fn request(&self) -> Request;

    /// Reads a response; any status outside 2xx becomes the matching [`ApiError`].
    fn decode(&self, response: &Response) -> Result<Self::Output, ApiError>;
}
