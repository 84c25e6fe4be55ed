package dev.pagecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium, driven by the system's chromedriver, that reports what the
 * browser itself received for every page it shows.
 * <p>
 * A page cannot read the headers of its own document, and Selenium's typed DevTools
 * bindings lag behind the browser's version. So the browser records its network events in
 * chromedriver's performance log (the raw Chrome DevTools Protocol events, whatever the
 * version) and {@link #document()} reads the status and headers of the response the
 * browser rendered from there, not from a second request.
 * <p>
 * Each instance has a fresh profile in a temporary directory: no cookies, no cache,
 * nothing shared with another instance. Chromium and chromedriver are taken from
 * {@code /usr/bin} unless the system properties {@code blog.test.chromium} and
 * {@code webdriver.chrome.driver} say otherwise.
 *
 * @author pagecache
 */
final class Browser implements AutoCloseable {

	private static final Path CHROMIUM = Path.of(System.getProperty("blog.test.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));

	private static final Duration PAGE_LOAD = Duration.ofSeconds(30);

	private static final Json JSON = new Json();

	private final String origin;

	private final Path profile;

	private final ChromeDriver driver;

	private final List<DocumentResponse> documents = new ArrayList<>();

	private Browser(String origin, Path profile, ChromeDriver driver) {
		this.origin = origin;
		this.profile = profile;
		this.driver = driver;
	}

	/**
	 * Skip the calling test when Chromium or chromedriver is missing, or fail it when the
	 * {@code CI} environment variable is set: CI installs both, so a missing browser
	 * there is a broken build.
	 */
	static void assumeInstalled() {
		List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER)
			.filter((path) -> !Files.isExecutable(path))
			.map(Path::toString)
			.toList();
		if (missing.isEmpty()) {
			return;
		}
		String message = "The end-to-end browser test needs Chromium and chromedriver; missing: " + missing
				+ ". Install them (Debian: apt-get install chromium chromium-driver) or point the system properties"
				+ " blog.test.chromium and webdriver.chrome.driver at them.";
		if (System.getenv("CI") != null) {
			Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
		}
		Assumptions.abort(message);
	}

	/**
	 * Start a browser with a fresh profile.
	 * @param port the blog's port on localhost
	 * @return the running browser
	 */
	static Browser start(int port) {
		Path profile = createProfileDirectory();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1200,1400", "--user-data-dir=" + profile);
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.PERFORMANCE, java.util.logging.Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		try {
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
			return new Browser("http://localhost:" + port, profile, driver);
		}
		catch (RuntimeException ex) {
			deleteRecursively(profile);
			throw ex;
		}
	}

	/**
	 * Open a page of the blog, as typing its address does.
	 * @param path the path on the blog
	 * @return the response the browser rendered
	 */
	DocumentResponse open(String path) {
		forgetEvents();
		this.driver.get(this.origin + path);
		return document();
	}

	/**
	 * Reload the current page, as the reload button does.
	 * @return the response the browser rendered
	 */
	DocumentResponse reload() {
		forgetEvents();
		WebElement page = this.driver.findElement(By.tagName("html"));
		this.driver.navigate().refresh();
		awaitNavigationFrom(page);
		return document();
	}

	/**
	 * Click an element that leads to another page (a link or a form's submit button) and
	 * wait until the browser shows that page.
	 * @param element what to click
	 * @return the response the browser rendered
	 */
	DocumentResponse clickAndWait(WebElement element) {
		forgetEvents();
		WebElement page = this.driver.findElement(By.tagName("html"));
		element.click();
		awaitNavigationFrom(page);
		return document();
	}

	/**
	 * Wait until a condition holds, such as an element that a script adds.
	 * @param what what is awaited, for the failure message
	 * @param condition the condition, checked until it is {@code true}
	 */
	void await(String what, java.util.function.Predicate<Browser> condition) {
		try {
			new WebDriverWait(this.driver, PAGE_LOAD).ignoring(StaleElementReferenceException.class)
				.until((driver) -> condition.test(this));
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Waited in vain for " + what + " on " + this.driver.getCurrentUrl(), ex);
		}
	}

	/**
	 * Click an element that a script may replace at any moment (a refreshed part of the
	 * page): found again if it went stale before the click.
	 * @param by how to find it
	 */
	void click(By by) {
		await("a click on " + by, (browser) -> {
			browser.find(by).click();
			return true;
		});
	}

	/**
	 * Accept the dialog a page opened ({@code window.confirm}), once it is open.
	 */
	void acceptDialog() {
		new WebDriverWait(this.driver, PAGE_LOAD).until(ExpectedConditions.alertIsPresent()).accept();
	}

	WebElement find(By by) {
		return this.driver.findElement(by);
	}

	List<WebElement> findAll(By by) {
		return this.driver.findElements(by);
	}

	/**
	 * The path of the page the browser shows, without the query.
	 * @return the current path
	 */
	String currentPath() {
		return URI.create(this.driver.getCurrentUrl()).getPath();
	}

	/**
	 * The cookies the browser holds for the blog.
	 * @return the cookie names
	 */
	List<String> cookieNames() {
		return this.driver.manage().getCookies().stream().map(org.openqa.selenium.Cookie::getName).toList();
	}

	/**
	 * Save a screenshot of the current page.
	 * @param file where to write the PNG
	 */
	void screenshot(Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The response the browser received for the document it shows, from its own network
	 * events. Waits for the event, since chromedriver may hand it over a moment after the
	 * page has loaded.
	 * @return the last document response of the main frame
	 */
	DocumentResponse document() {
		// the fragment (#comment-7) is the browser's own: responses are for the URL
		// without
		// it
		String current = this.driver.getCurrentUrl();
		String url = current.contains("#") ? current.substring(0, current.indexOf('#')) : current;
		try {
			return new WebDriverWait(this.driver, Duration.ofSeconds(10)).until((driver) -> {
				drainEvents();
				DocumentResponse last = this.documents.isEmpty() ? null : this.documents.get(this.documents.size() - 1);
				return (last != null && last.url().equals(url)) ? last : null;
			});
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(
					"The browser recorded no response for " + url + "; documents seen: " + this.documents, ex);
		}
	}

	private void awaitNavigationFrom(WebElement page) {
		new WebDriverWait(this.driver, PAGE_LOAD).until((driver) -> isGone(page));
		new WebDriverWait(this.driver, PAGE_LOAD).until((driver) -> "complete"
			.equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
	}

	/**
	 * Whether an element's document has been replaced. While Chromium tears the old
	 * document down, it may answer for its nodes that they do not belong to the document
	 * rather than that they are stale.
	 */
	private static boolean isGone(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (StaleElementReferenceException ex) {
			return true;
		}
		catch (WebDriverException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("does not belong to the document")) {
				return true;
			}
			throw ex;
		}
	}

	private void forgetEvents() {
		drainEvents();
		this.documents.clear();
	}

	/**
	 * Read the performance log (which empties it) and keep the responses to documents.
	 */
	@SuppressWarnings("unchecked")
	private void drainEvents() {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			Map<String, Object> event = JSON.toType(entry.getMessage(), Map.class);
			Map<String, Object> message = (Map<String, Object>) event.get("message");
			if (!"Network.responseReceived".equals(message.get("method"))) {
				continue;
			}
			Map<String, Object> params = (Map<String, Object>) message.get("params");
			if (!"Document".equals(params.get("type"))) {
				continue;
			}
			Map<String, Object> response = (Map<String, Object>) params.get("response");
			this.documents.add(new DocumentResponse((String) response.get("url"),
					((Number) response.get("status")).intValue(), (Map<String, Object>) response.get("headers")));
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			deleteRecursively(this.profile);
		}
	}

	private static Path createProfileDirectory() {
		try {
			return Files.createTempDirectory("blog-browser-profile-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is no reason to fail a test
		}
	}

	/**
	 * A response to a document request, as the browser received it.
	 *
	 * @param url the URL of the document
	 * @param status the HTTP status
	 * @param headers the response headers
	 */
	record DocumentResponse(String url, int status, Map<String, Object> headers) {

		/**
		 * The {@code X-Page-Cache} header: {@code HIT}, {@code MISS}, {@code BYPASS}, or
		 * {@code none}.
		 * @return the header's value
		 */
		String pageCache() {
			return header("X-Page-Cache").orElse("none");
		}

		Optional<String> header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((header) -> header.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
				.map((header) -> String.valueOf(header.getValue()))
				.findFirst();
		}

	}

}
