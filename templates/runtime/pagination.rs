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
//! # Resuming after an error
//!
//! A stream that fails part way (a timeout, a throttled call that ran out of retries) keeps its
//! place: [`Pages::position`] (or [`Items::position`]) tells the offset and the page number of the
//! call that failed. [`Pages::resume`] makes the same stream try that page again, and
//! [`Pages::start_at`] starts a new stream there, say after a restart with a position saved
//! elsewhere ([`Position`] is `serde`-serializable). Items the caller already received are not
//! fetched again: [`Items::position`] counts those of the current page, and [`Items::start_at`]
//! skips them.
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

/// Where a page stream is in its listing: the page it calls next, or the page whose call failed.
///
/// Given by [`Pages::position`] and [`Items::position`]; [`Pages::start_at`] and
/// [`Items::start_at`] start a stream there. Build one with [`Position::at_offset`] (or
/// deserialize a saved one): the type is `#[non_exhaustive]`, so a struct literal does not
/// compile (E0639).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Position {
    /// The offset the page is asked for with: a record offset, or a page number, as the
    /// operation counts them.
    pub offset: i64,
    /// The page's number in the walk, from 1 (counted across resumes).
    pub page: u64,
    /// Items of this page the caller already received (only an [`Items`] stream stopped in the
    /// middle of a page has any); a stream started here skips them.
    pub skip: u64,
}

impl Position {
    /// The first page of a walk starting at `offset`, as a request's offset would give it.
    pub fn at_offset(offset: i64) -> Self {
        Position { offset, page: 1, skip: 0 }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {} (offset {})", self.page, self.offset)?;
        if self.skip > 0 {
            write!(f, ", after its first {} items", self.skip)?;
        }
        Ok(())
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
    /// Offset of the next call; `None` once the listing has ended or a call failed.
    next_offset: Option<i64>,
    /// Number (from 1) of the page of the next call, or of the call in flight.
    page: u64,
    /// Where the stream stopped on an error: the page to try again.
    stopped: Option<Position>,
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
        Pages { client, request, next_offset, page: 1, stopped: None, first_call: true, call: None, fetched: 0, max_pages: DEFAULT_MAX_PAGES, last_page: None }
    }

    /// Starts the walk at `position` instead of the request's offset: the page it names is the
    /// first one fetched. Its `skip` is for [`Items`]; pages are yielded whole.
    pub fn start_at(mut self, position: Position) -> Self {
        self.next_offset = Some(position.offset);
        self.page = position.page.max(1);
        self.stopped = None;
        self
    }

    /// Where the stream is: the page it fetches next, or, after an error, the page whose call
    /// failed. `None` once the listing has ended.
    pub fn position(&self) -> Option<Position> {
        if let Some(stopped) = self.stopped {
            return Some(stopped);
        }
        if self.call.is_some() {
            // The call in flight is for the page of the last request made.
            let first = self.request.meta().pagination.map_or(0, |p| p.first_offset);
            return Some(Position { offset: self.request.offset().unwrap_or(first), page: self.page, skip: 0 });
        }
        self.next_offset.map(|offset| Position { offset, page: self.page, skip: 0 })
    }

    /// After an error, makes the stream try the failed page again and go on from there, as if
    /// the error had not happened; the page bound ([`Pages::max_pages`]) counts afresh. Returns
    /// whether there was a page to try again (`false` when the stream had not stopped on an
    /// error).
    pub fn resume(&mut self) -> bool {
        let Some(stopped) = self.stopped.take() else { return false };
        self.next_offset = Some(stopped.offset);
        self.page = stopped.page;
        self.fetched = 0;
        true
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
        self.stop(offset);
        Error::Pagination { operation: self.request.meta().id, offset, problem }
    }

    /// Ends the stream on an error at the page at `offset`, keeping its place.
    fn stop(&mut self, offset: i64) {
        self.next_offset = None;
        self.stopped = Some(Position { offset, page: self.page, skip: 0 });
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
            self.page += 1;
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
        self.page += 1;
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
                        let first = this.request.meta().pagination.map_or(0, |p| p.first_offset);
                        this.stop(this.request.offset().unwrap_or(first));
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
            .field("position", &self.position())
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
    /// Where the page being handed out came from, and how many of its items were handed out.
    current: Option<Position>,
    /// Items of the first page to drop: those a stopped walk had already handed out.
    skip: u64,
}

impl<R: Paginated> Items<R> {
    /// A stream of the items `request` and the following requests list.
    pub fn new(client: Client, request: R) -> Self {
        Items { pages: Pages::new(client, request), buffer: Vec::new().into_iter(), current: None, skip: 0 }
    }

    /// Starts the walk at `position`: its page is fetched first, and its first `skip` items,
    /// which the caller already has, are dropped.
    pub fn start_at(mut self, position: Position) -> Self {
        self.pages = self.pages.start_at(position);
        self.buffer = Vec::new().into_iter();
        self.current = None;
        self.skip = position.skip;
        self
    }

    /// Where the stream is: in the middle of a page (its offset, and how many of its items were
    /// yielded), at the page it fetches next, or, after an error, at the page whose call failed.
    /// `None` once every item has been yielded.
    pub fn position(&self) -> Option<Position> {
        match self.current {
            Some(at) if self.buffer.len() > 0 => Some(at),
            _ => self.pages.position(),
        }
    }

    /// After an error, makes the stream try the failed page again; see [`Pages::resume`].
    pub fn resume(&mut self) -> bool {
        self.pages.resume()
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
                if let Some(at) = &mut this.current {
                    at.skip += 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            let at = this.pages.position();
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    let mut items = page.into_inner().into_items();
                    let skip = usize::try_from(std::mem::take(&mut this.skip)).unwrap_or(usize::MAX).min(items.len());
                    items.drain(..skip);
                    this.current = at.map(|p| Position { skip: skip as u64, ..p });
                    this.buffer = items.into_iter();
                }
            }
        }
    }
}

impl<R: Paginated> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).field("position", &self.position()).finish()
    }
}
