// The pagecache dashboard's behaviour, inlined into the page; no dependencies.
// It refreshes the figures (#pc-live) every few seconds from the same URL, lists the pages of a pattern with their
// tags, finds the pages that show an entity, and purges. Text from the server is only ever set as text.
(function () {
	'use strict';
	var root = document.getElementById('pagecache-dashboard');
	if (!root) {
		return;
	}
	var REFRESH_MILLIS = 5000;
	var base = location.pathname.replace(/\/dashboard\/?$/, '');
	var message = document.getElementById('pc-message');
	var updated = document.getElementById('pc-updated');

	function canPurge() {
		return root.getAttribute('data-purge') === 'true';
	}

	function path(kind, segments) {
		return base + '/' + kind + '/' + segments.map(encodeURIComponent).join('/');
	}

	function patternSegments(pattern) {
		return pattern.replace(/^\//, '').split('/');
	}

	function say(text, error) {
		message.textContent = text;
		message.className = 'pc-message' + (error ? ' pc-error' : '');
	}

	function el(tag, className, text) {
		var element = document.createElement(tag);
		if (className) {
			element.className = className;
		}
		if (text !== undefined && text !== null) {
			element.textContent = text;
		}
		return element;
	}

	function request(method, url) {
		return fetch(url, { method: method, credentials: 'same-origin', cache: 'no-store',
			headers: { Accept: 'application/json' } }).then(function (response) {
			return response.text().then(function (text) {
				var body = null;
				try {
					body = text ? JSON.parse(text) : null;
				}
				catch (ignored) {
					body = null;
				}
				if (!response.ok) {
					throw new Error((body && body.message) ? body.message : 'HTTP ' + response.status);
				}
				return body;
			});
		});
	}

	function stamp(text) {
		updated.textContent = text;
	}

	function replace(current, replacement) {
		if (current && replacement) {
			current.replaceWith(document.adoptNode(replacement));
		}
	}

	function refresh() {
		if (document.hidden) {
			return;
		}
		fetch(location.pathname, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.text();
			})
			.then(function (html) {
				var fresh = new DOMParser().parseFromString(html, 'text/html');
				replace(document.getElementById('pc-live'), fresh.getElementById('pc-live'));
				replace(document.querySelector('.pc-store'), fresh.querySelector('.pc-store'));
				updated = document.getElementById('pc-updated');
				stamp('updated ' + new Date().toLocaleTimeString());
			})
			.catch(function (error) {
				stamp('not updated: ' + error.message);
			});
	}

	function count(entries, estimated) {
		if (entries === null || entries === undefined) {
			return '?';
		}
		return (estimated ? 'about ' : '') + entries;
	}

	function purgeButton(kind, segments, label) {
		var button = el('button', 'pc-purge', 'Purge ' + label);
		button.type = 'button';
		button.setAttribute('data-kind', kind);
		button.setAttribute('data-name', segments.join('/'));
		button.setAttribute('data-label', label);
		return button;
	}

	function keyList(keys, className) {
		var list = el('ul', className);
		keys.forEach(function (page) {
			var item = el('li', 'pc-listed-page');
			item.appendChild(el('code', null, page.key));
			if (page.tags) {
				var tags = el('div', 'pc-tags');
				page.tags.forEach(function (tag) {
					tags.appendChild(el('span', 'pc-tag', tag));
				});
				item.appendChild(tags);
			}
			list.appendChild(item);
		});
		return list;
	}

	function show(panel, title, parts) {
		panel.replaceChildren(el('h3', null, title));
		parts.forEach(function (part) {
			panel.appendChild(part);
		});
		panel.hidden = false;
		panel.scrollIntoView({ block: 'nearest' });
	}

	function drill(page) {
		var panel = document.getElementById('pc-drilldown');
		panel.setAttribute('data-page', page);
		request('GET', path('pages', patternSegments(page))).then(function (detail) {
			var instance = detail.instance;
			var parts = [el('p', 'pc-drill-summary', count(instance.entries, instance.entriesEstimated)
				+ ' in the store; on this instance ' + instance.hits + ' hits and ' + instance.misses + ' misses.')];
			if (canPurge()) {
				parts.push(purgeButton('pages', patternSegments(page), 'the pages of ' + page));
			}
			var stored = detail.stored;
			if (!stored) {
				parts.push(el('p', 'pc-empty', 'Sign in to see which pages these are and what they depend on.'));
			}
			else if (stored.pages.length === 0) {
				parts.push(el('p', 'pc-empty', 'No page of this pattern is in the store right now.'));
			}
			else {
				parts.push(keyList(stored.pages, 'pc-drill-pages'));
				if (stored.truncated) {
					parts.push(el('p', 'pc-empty', 'Showing ' + stored.pages.length + ' of them (at most '
						+ stored.limit + ').'));
				}
			}
			show(panel, 'Pages of ' + page, parts);
		}).catch(function (error) {
			show(panel, 'Pages of ' + page, [el('p', 'pc-error', error.message)]);
		});
	}

	function search(text) {
		var panel = document.getElementById('pc-search-result');
		var match = /^\s*([^\s#/]+)(?:\s*[\s#/]\s*(\S+))?\s*$/.exec(text);
		if (!match) {
			show(panel, 'What shows ' + text, [el('p', 'pc-error', 'Name an entity (Post 42) or a type (Post).')]);
			return;
		}
		var segments = match[2] ? [match[1], match[2]] : [match[1]];
		var label = segments.join(' ');
		request('GET', path('entities', segments)).then(function (result) {
			var tags = el('ul', 'pc-search-tags');
			result.tags.forEach(function (tag) {
				var item = el('li', 'pc-search-tag');
				item.appendChild(el('span', 'pc-tag', tag.tag));
				item.appendChild(document.createTextNode(' ' + count(tag.entries, tag.entriesEstimated)
					+ (tag.entries === 1 ? ' page' : ' pages')));
				tags.appendChild(item);
			});
			var parts = [tags];
			if (result.pages === null) {
				parts.push(el('p', 'pc-empty', 'Sign in to see which pages these are.'));
			}
			else {
				parts.push(result.pages.length ? keyList(result.pages.map(function (key) {
					return { key: key };
				}), 'pc-search-pages') : el('p', 'pc-empty', 'No page in the store shows it right now.'));
				if (result.pagesTruncated) {
					parts.push(el('p', 'pc-empty', 'Showing at most ' + result.pagesLimitPerTag + ' pages per tag.'));
				}
			}
			if (canPurge()) {
				parts.push(purgeButton('entities', segments, 'the pages of ' + label));
			}
			show(panel, 'What shows ' + label, parts);
		}).catch(function (error) {
			show(panel, 'What shows ' + label, [el('p', 'pc-error', error.message)]);
		});
	}

	function purge(button) {
		var kind = button.getAttribute('data-kind');
		var name = button.getAttribute('data-name');
		var label = button.getAttribute('data-label');
		if (!window.confirm('Purge ' + label + ' on every instance?')) {
			return;
		}
		request('DELETE', kind ? path(kind, name.split('/')) : base).then(function () {
			say('Purged ' + label + '.');
			refresh();
		}).catch(function (error) {
			say('Could not purge ' + label + ': ' + error.message, true);
		});
	}

	document.addEventListener('click', function (event) {
		var button = event.target.closest('button');
		if (!button) {
			return;
		}
		if (button.classList.contains('pc-drill')) {
			drill(button.getAttribute('data-page'));
		}
		else if (button.classList.contains('pc-purge')) {
			purge(button);
		}
	});
	document.getElementById('pc-search').addEventListener('submit', function (event) {
		event.preventDefault();
		search(document.getElementById('pc-entity').value);
	});
	stamp('updated ' + new Date().toLocaleTimeString());
	setInterval(refresh, REFRESH_MILLIS);
}());
