package dev.pagecache.sample;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Where a page of a list of posts stands among the others ({@code ?page=2}), with links
 * to its neighbours. The first page's link is the list's plain path, so that a list has
 * one URL per page.
 *
 * @author pagecache
 */
public final class Paging {

	private final String path;

	private final int number;

	private final int totalPages;

	private Paging(String path, int number, int totalPages) {
		this.path = path;
		this.number = number;
		this.totalPages = totalPages;
	}

	/**
	 * The request for a page of a list.
	 * @param page the page number, from 1, as the reader asked for it
	 * @param size the number of posts on a page
	 * @return the request
	 * @throws ResponseStatusException 400 for a page number below 1, 404 for one far
	 * beyond any list
	 */
	static Pageable request(int page, int size) {
		if (page < 1) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Pages are numbered from 1");
		}
		if ((long) (page - 1) * size > Integer.MAX_VALUE) {
			throw BlogController.notFound();
		}
		return PageRequest.of(page - 1, size);
	}

	/**
	 * Where a page that was read stands.
	 * @param page the page read
	 * @param path the list's path, without a query
	 * @return its place among the others
	 * @throws ResponseStatusException 404 for a page after the last one (the first page
	 * exists even when the list is empty)
	 */
	static Paging of(Page<?> page, String path) {
		int number = page.getNumber() + 1;
		int totalPages = Math.max(1, page.getTotalPages());
		if (number > totalPages) {
			throw BlogController.notFound();
		}
		return new Paging(path, number, totalPages);
	}

	/**
	 * The page's number.
	 * @return the number, from 1
	 */
	public int getNumber() {
		return this.number;
	}

	/**
	 * How many pages the list has.
	 * @return at least 1
	 */
	public int getTotalPages() {
		return this.totalPages;
	}

	/**
	 * The link to the page before, with newer posts.
	 * @return the link, or {@code null} on the first page
	 */
	public String getPreviousHref() {
		return (this.number > 1) ? href(this.number - 1) : null;
	}

	/**
	 * The link to the page after, with older posts.
	 * @return the link, or {@code null} on the last page
	 */
	public String getNextHref() {
		return (this.number < this.totalPages) ? href(this.number + 1) : null;
	}

	private String href(int page) {
		return (page == 1) ? this.path : this.path + "?page=" + page;
	}

}
