//! Streams over the pages, and the items, of the list operations.
//!
//! Every operation the spec documents with pagination gets two client methods next to the plain
//! call: `<method>_pages` yields each answer ([`Pages`]), `<method>_items` yields the listed items
//! one by one ([`Items`]). Both are [`futures_core::Stream`]s; with `futures_util::StreamExt` in
//! scope, `while let Some(page) = pages.next().await` walks them.
//!
//! # How a listing is walked
//!
//! - The first call uses the request's own offset, or the first offset of the operation (`0` for
//!   record offsets; the documented first page, usually `1`, for page numbers). An unset page
//!   size is sent as the documented default, so that a short page can be recognised.
//! - A record offset advances by the number of items received (so a service that caps the page
//!   size loses nothing); a page number advances by one.
//! - The walk ends after an empty page; after the page that reaches the total count when the
//!   answer carries one; otherwise after a page shorter than the page size.
//! - A service that does not advance is detected: the same non-empty page twice in a row ends the
//!   stream with [`Error::Pagination`] and [`PaginationError::Repeated`] instead of looping, and
//!   no stream fetches more than [`Pages::max_pages`] pages ([`DEFAULT_MAX_PAGES`] by default).
//! - The first error ends the stream; the items yielded before it are valid.
//!
//! Each page is an ordinary call: it is validated, signed, and retried like any other query.
//!
//! # Example
//!
//! ```no_run
//! # #[cfg(feature = "products")]
//! # async fn run(client: huaweicloud_bss::Client) -> Result<(), huaweicloud_bss::Error> {
//! use futures_util::StreamExt;
//! use huaweicloud_bss::products::ListServiceTypesRequest;
//!
//! // Every page, with its request id.
//! let mut pages = client.list_service_types_pages(ListServiceTypesRequest::new().limit(100));
//! while let Some(page) = pages.next().await {
//!     let page = page?;
//!     println!("{} types (request {:?})", page.service_types.as_deref().unwrap_or_default().len(), page.request_id());
//! }
//!
//! // Or every item, across pages.
//! let mut types = client.list_service_types_items(ListServiceTypesRequest::new());
//! while let Some(service_type) = types.next().await {
//!     println!("{:?}", service_type?.service_type_code);
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::hash::{DefaultHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::client::{Client, Response};
use crate::error::Error;
use crate::request::ApiRequest;

/// How many pages a stream fetches at most unless [`Pages::max_pages`] says otherwise.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// Why a paginated walk stopped before the listing ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// The service answered the same non-empty page twice in a row: it does not honour the
    /// offset, and walking on would never end.
    Repeated,
    /// The stream fetched its maximum number of pages and the listing had not ended.
    TooManyPages(u64),
    /// The next offset or the page size does not fit the parameter's type.
    OutOfRange(i64),
    /// The operation has no pagination metadata (a request type implemented by hand).
    NotPaginated,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::Repeated => f.write_str("the service answered the same page twice; it does not advance"),
            PaginationError::TooManyPages(n) => write!(f, "the listing did not end within {n} pages"),
            PaginationError::OutOfRange(v) => write!(f, "{v} does not fit the parameter's type"),
            PaginationError::NotPaginated => f.write_str("the operation is not paginated"),
        }
    }
}

/// A request of a list operation: where its offset and page size are.
///
/// Implemented by the generated request types of every paginated operation.
pub trait Paginated: ApiRequest<Output: Page + Send> + Clone + Send + Sync + Unpin + 'static {
    /// The offset (a record offset or a page number) the request asks for, if set.
    fn offset(&self) -> Option<i64>;
    /// Sets the offset.
    fn set_offset(&mut self, offset: i64) -> Result<(), PaginationError>;
    /// The page size the request asks for, if set.
    fn page_size(&self) -> Option<i64>;
    /// Sets the page size.
    fn set_page_size(&mut self, size: i64) -> Result<(), PaginationError>;
}

/// The answer of a list operation: its items and the total count.
///
/// Implemented by the success types of every paginated operation.
pub trait Page {
    /// One listed item.
    type Item: serde::Serialize + Send + Unpin + 'static;
    /// The items of this page (empty when the answer has none).
    fn items(&self) -> &[Self::Item];
    /// Takes the items of this page.
    fn into_items(self) -> Vec<Self::Item>;
    /// The total count of items of the listing, when the answer carries it.
    fn total(&self) -> Option<i64>;
}

/// Converts an offset or page size to the type of its parameter.
pub fn narrow<T: TryFrom<i64>>(value: i64) -> Result<T, PaginationError> {
    T::try_from(value).map_err(|_| PaginationError::OutOfRange(value))
}

type Call<T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

/// A stream of the answers of a list operation, one per page; see the [module](self) docs.
///
/// Created by the `<method>_pages` client methods.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<R: Paginated> {
    client: Client,
    /// The request of the last call made (before the first call: the caller's request).
    request: R,
    /// Offset of the next call; `None` once the listing has ended.
    next_offset: Option<i64>,
    first_call: bool,
    call: Option<Call<R::Output>>,
    fetched: u64,
    max_pages: u64,
    last_page: Option<u64>,
}

impl<R: Paginated> Pages<R> {
    /// A stream of the pages `request` and the following requests answer.
    pub fn new(client: Client, request: R) -> Self {
        let first = request.meta().pagination.map_or(0, |p| p.first_offset);
        let next_offset = Some(request.offset().unwrap_or(first));
        Pages { client, request, next_offset, first_call: true, call: None, fetched: 0, max_pages: DEFAULT_MAX_PAGES, last_page: None }
    }

    /// Fetches at most `pages` pages: a listing that has not ended by then ends the stream with
    /// [`PaginationError::TooManyPages`].
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages;
        self
    }

    /// How many calls the stream has made.
    pub fn pages_fetched(&self) -> u64 {
        self.fetched
    }

    fn fail(&mut self, offset: i64, problem: PaginationError) -> Error {
        self.next_offset = None;
        Error::Pagination { operation: self.request.meta().id, offset, problem }
    }

    /// The request of the page at `offset`.
    fn next_request(&mut self, offset: i64) -> Result<R, Error> {
        let Some(pagination) = self.request.meta().pagination else {
            return Err(self.fail(offset, PaginationError::NotPaginated));
        };
        let mut request = self.request.clone();
        if let (true, None, Some(size)) = (self.first_call, request.page_size(), pagination.default_page_size) {
            request.set_page_size(size).map_err(|p| self.fail(offset, p))?;
        }
        request.set_offset(offset).map_err(|p| self.fail(offset, p))?;
        Ok(request)
    }

    /// Checks an answer and works out the offset of the next call.
    fn advance(&mut self, page: &R::Output) -> Result<(), Error> {
        let meta = self.request.meta();
        let counts_pages = meta.pagination.is_some_and(|p| p.offset_counts_pages);
        let first = meta.pagination.map_or(0, |p| p.first_offset);
        let offset = self.request.offset().unwrap_or(first);
        let items = page.items();
        let received = i64::try_from(items.len()).unwrap_or(i64::MAX);
        if received == 0 {
            self.next_offset = None;
            return Ok(());
        }
        let fingerprint = fingerprint(items);
        if self.last_page.is_some() && self.last_page == fingerprint {
            return Err(self.fail(offset, PaginationError::Repeated));
        }
        self.last_page = fingerprint;
        let size = self.request.page_size();
        let next = if counts_pages { offset.saturating_add(1) } else { offset.saturating_add(received) };
        // How many records the listing holds up to the end of this page.
        let position = if counts_pages { size.map(|s| offset.saturating_sub(first).saturating_add(1).saturating_mul(s)) } else { Some(next) };
        let ended = match (page.total(), position) {
            (Some(total), Some(position)) => position >= total,
            _ => size.is_some_and(|s| received < s),
        };
        self.next_offset = (!ended).then_some(next);
        Ok(())
    }
}

/// A hash of the serialized items, to recognise a repeated page.
fn fingerprint<T: serde::Serialize>(items: &[T]) -> Option<u64> {
    let bytes = serde_json::to_vec(items).ok()?;
    let mut h = DefaultHasher::new();
    h.write(&bytes);
    Some(h.finish())
}

impl<R: Paginated> Stream for Pages<R> {
    type Item = Result<Response<R::Output>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(call) = this.call.as_mut() {
                let answer = match call.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(answer) => answer,
                };
                this.call = None;
                return Poll::Ready(Some(match answer {
                    Ok(page) => this.advance(page.body()).map(|()| page),
                    Err(e) => {
                        this.next_offset = None;
                        Err(e)
                    }
                }));
            }
            let Some(offset) = this.next_offset else { return Poll::Ready(None) };
            if this.fetched >= this.max_pages {
                let max = this.max_pages;
                return Poll::Ready(Some(Err(this.fail(offset, PaginationError::TooManyPages(max)))));
            }
            let request = match this.next_request(offset) {
                Ok(r) => r,
                Err(e) => return Poll::Ready(Some(Err(e))),
            };
            this.first_call = false;
            this.fetched += 1;
            this.request = request.clone();
            let client = this.client.clone();
            this.call = Some(Box::pin(async move { client.execute(&request).await }));
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.next_offset.is_none() && self.call.is_none() { (0, Some(0)) } else { (0, None) }
    }
}

impl<R: Paginated> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.request.meta().id)
            .field("next_offset", &self.next_offset)
            .field("pages_fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

/// A stream of the items of a list operation, across pages; see the [module](self) docs.
///
/// Created by the `<method>_items` client methods.
#[must_use = "streams do nothing unless polled"]
pub struct Items<R: Paginated> {
    pages: Pages<R>,
    buffer: std::vec::IntoIter<<R::Output as Page>::Item>,
}

impl<R: Paginated> Items<R> {
    /// A stream of the items `request` and the following requests list.
    pub fn new(client: Client, request: R) -> Self {
        Items { pages: Pages::new(client, request), buffer: Vec::new().into_iter() }
    }

    /// Fetches at most `pages` pages; see [`Pages::max_pages`].
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// How many calls the stream has made.
    pub fn pages_fetched(&self) -> u64 {
        self.pages.fetched
    }
}

impl<R: Paginated> Stream for Items<R> {
    type Item = Result<<R::Output as Page>::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.into_inner().into_items().into_iter(),
            }
        }
    }
}

impl<R: Paginated> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}
