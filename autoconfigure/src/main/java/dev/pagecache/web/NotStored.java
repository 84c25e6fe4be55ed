package dev.pagecache.web;

import dev.pagecache.store.StatisticsListener.NotStoredReason;

/**
 * Why a rendered page was not stored: the reason that is counted per page, and the detail
 * that is logged.
 *
 * @param reason the reason, one of a few
 * @param detail what exactly, such as the header the page read
 * @author pagecache
 */
record NotStored(NotStoredReason reason, String detail) {

	static NotStored of(NotStoredReason reason, String detail) {
		return new NotStored(reason, detail);
	}

}
