package dev.pagecache.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

import org.springframework.http.HttpHeaders;

/**
 * A response that passes everything through until {@link #startCapturing()} is called
 * (once the handler is known to carry {@code @CachePage}), and from then on keeps the
 * body in memory, up to a limit, so that it can be stored. A body that grows past the
 * limit, an error or a redirect switches it back to passing through, and the page is then
 * not stored. Headers always go straight to the wrapped response. Its states and their
 * transitions are a {@link CaptureState}.
 *
 * @author pagecache
 */
final class CachingResponseWrapper extends HttpServletResponseWrapper {

	private final long limit;

	private CaptureState state = CaptureState.PASSING;

	private @Nullable CaptureBuffer buffer;

	private long contentLength = -1;

	private boolean overflowed;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable CaptureWriter writer;

	private @Nullable String contentLanguage;

	CachingResponseWrapper(HttpServletResponse response, long limit) {
		super(response);
		this.limit = limit;
	}

	/**
	 * The {@code Content-Language} that {@link #setLocale} gave the response: Tomcat
	 * writes it when the response is sent, so it is not among the headers a stored page
	 * reads back.
	 * @return the language tag, or {@code null} if no locale was set
	 */
	@Nullable String contentLanguage() {
		return this.contentLanguage;
	}

	@Override
	public void setLocale(Locale locale) {
		super.setLocale(locale);
		if (locale != null && !getResponse().isCommitted()) {
			this.contentLanguage = locale.toLanguageTag();
		}
	}

	CaptureState state() {
		return this.state;
	}

	/**
	 * Keep the body from now on, unless the response is committed already.
	 * @throws IOException never in practice: no captured bytes are written out
	 */
	void startCapturing() throws IOException {
		on(super.isCommitted() ? CaptureState.Event.COMMITTED : CaptureState.Event.HANDLER_CONFIRMED);
	}

	/**
	 * The handler has written everything: encode what its writer holds, which may take
	 * the body past the limit.
	 * @return {@code true} if the whole body is held and may be stored
	 */
	boolean completeCapture() {
		finishWriter();
		return this.state == CaptureState.CAPTURING;
	}

	/**
	 * Why a response whose capture did not complete holds no page.
	 * @return the reason, or {@code null} if capture never started (the handler was not
	 * the page's)
	 */
	@Nullable NotStored notCapturedReason() {
		return switch (this.state) {
			case ABANDONED -> NotStored.of(NotStoredReason.STATUS,
					"the application sent an error or a redirect (status " + getStatus() + ")");
			case RELEASED -> this.overflowed
					? NotStored.of(NotStoredReason.TOO_LARGE,
							"the body grew past pagecache.max-entry-size (" + this.limit + " bytes)")
					: NotStored.of(NotStoredReason.COMMITTED,
							"the response was committed before its handler was known");
			case PASSING, CAPTURING, SENT -> null;
		};
	}

	/**
	 * The page is not stored: write what was kept to the wrapped response and pass the
	 * rest through.
	 * @throws IOException on a write failure
	 */
	void passThrough() throws IOException {
		finishWriter();
		on(CaptureState.Event.NOT_STORED);
	}

	/**
	 * Send the kept body to the client.
	 * @throws IOException on a write failure
	 * @throws IllegalStateException if the body is not held whole
	 */
	void sendCapturedBody() throws IOException {
		finishWriter();
		CaptureBuffer buffer = this.buffer;
		on(CaptureState.Event.SEND);
		if (!getResponse().isCommitted()) {
			super.setContentLength(buffer.size());
		}
		buffer.writeTo(getResponse().getOutputStream());
	}

	/**
	 * Send another encoding of the kept body in its place, such as its gzip encoding,
	 * with the ETag of that encoding; the kept body itself when the response is committed
	 * already.
	 * @param body the encoded body
	 * @param encoding the {@code Content-Encoding}
	 * @param etag the ETag of the encoded body
	 * @throws IOException if the body cannot be written
	 * @throws IllegalStateException if the body is not held whole
	 */
	void sendInstead(byte[] body, String encoding, String etag) throws IOException {
		if (getResponse().isCommitted()) {
			sendCapturedBody();
			return;
		}
		finishWriter();
		on(CaptureState.Event.SEND);
		HttpServletResponse response = (HttpServletResponse) getResponse();
		response.setHeader(HttpHeaders.CONTENT_ENCODING, encoding);
		response.setHeader(HttpHeaders.ETAG, etag);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * The page to store: the status, the headers worth replaying, the kept body
	 * compressed once, and its ETag.
	 * @param tags the tags the page depends on
	 * @param now the current time in epoch milliseconds
	 * @param compressionLevel the gzip level
	 * @return the entry
	 * @throws IllegalStateException if the body is not held whole
	 */
	PageEntry toEntry(Collection<String> tags, long now, int compressionLevel) {
		CaptureBuffer buffer = this.buffer;
		if (this.state != CaptureState.CAPTURING || buffer == null) {
			throw new IllegalStateException("A response that is " + this.state + " holds no page");
		}
		byte[] gzipped = Gzip.compress(buffer.array(), buffer.size(), compressionLevel);
		return new PageEntry(getStatus(), StoredHeaders.of(this), gzipped, buffer.size(),
				Revalidation.etagOf(this, gzipped), now, new LinkedHashSet<>(tags));
	}

	/**
	 * Move to the state an event leads to, and keep or write out the kept bytes as the
	 * move requires.
	 */
	private void on(CaptureState.Event event) throws IOException {
		CaptureState from = this.state;
		CaptureState to = from.next(event);
		this.state = to;
		if (from == CaptureState.PASSING && to == CaptureState.CAPTURING) {
			this.buffer = new CaptureBuffer(this.limit);
		}
		else if (from == CaptureState.CAPTURING && to == CaptureState.RELEASED) {
			if (this.contentLength >= 0) {
				super.setContentLengthLong(this.contentLength);
			}
			this.buffer.writeTo(getResponse().getOutputStream());
			this.buffer = null;
		}
		else if (from == CaptureState.CAPTURING && to != CaptureState.CAPTURING) {
			this.buffer = null;
		}
	}

	/** Encode what the writer holds, once the handler has written everything. */
	private void finishWriter() {
		if (this.writer != null) {
			this.writer.finish();
		}
	}

	private void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.state == CaptureState.CAPTURING) {
			if (this.buffer.append(bytes, offset, length)) {
				return;
			}
			this.overflowed = true;
			on(CaptureState.Event.OVERFLOW);
		}
		getResponse().getOutputStream().write(bytes, offset, length);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.state != CaptureState.CAPTURING) {
			return super.getOutputStream();
		}
		if (this.writer != null) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		if (this.outputStream == null) {
			this.outputStream = new CaptureStream();
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.state != CaptureState.CAPTURING) {
			return super.getWriter();
		}
		if (this.outputStream != null) {
			throw new IllegalStateException("getOutputStream() has already been called for this response");
		}
		if (this.writer == null) {
			this.writer = new CaptureWriter(Charset.forName(getCharacterEncoding()), this::write);
		}
		return this.writer;
	}

	@Override
	public void setContentLength(int len) {
		setContentLengthLong(len);
	}

	@Override
	public void setContentLengthLong(long len) {
		if (this.state == CaptureState.CAPTURING) {
			this.contentLength = len;
		}
		else {
			super.setContentLengthLong(len);
		}
	}

	@Override
	public void flushBuffer() throws IOException {
		if (this.state == CaptureState.CAPTURING) {
			if (this.writer != null) {
				this.writer.flush();
			}
			return;
		}
		super.flushBuffer();
	}

	@Override
	public boolean isCommitted() {
		return this.state != CaptureState.CAPTURING && super.isCommitted();
	}

	@Override
	public void resetBuffer() {
		discardBody();
		super.resetBuffer();
	}

	@Override
	public void reset() {
		discardBody();
		this.contentLength = -1;
		this.contentLanguage = null;
		super.reset();
	}

	private void discardBody() {
		if (this.writer != null) {
			this.writer.discard();
		}
		if (this.buffer != null) {
			this.buffer.clear();
		}
	}

	@Override
	public void sendError(int sc) throws IOException {
		on(CaptureState.Event.ERROR);
		super.sendError(sc);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		on(CaptureState.Event.ERROR);
		super.sendError(sc, msg);
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		on(CaptureState.Event.ERROR);
		super.sendRedirect(location);
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		on(CaptureState.Event.ERROR);
		super.sendRedirect(location, sc, clearBuffer);
	}

	/**
	 * The output stream of a capturing response: bytes go where the response's state
	 * says.
	 */
	private final class CaptureStream extends ServletOutputStream {

		private final byte[] single = new byte[1];

		@Override
		public void write(int b) throws IOException {
			this.single[0] = (byte) b;
			CachingResponseWrapper.this.write(this.single, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			CachingResponseWrapper.this.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			if (CachingResponseWrapper.this.state != CaptureState.CAPTURING) {
				getResponse().getOutputStream().flush();
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			throw new UnsupportedOperationException("Non-blocking writes are not cached");
		}

	}

}
