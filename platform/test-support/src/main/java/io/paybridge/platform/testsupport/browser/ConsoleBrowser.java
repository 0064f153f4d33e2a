package io.paybridge.platform.testsupport.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gateway's operator console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}; {@code .ci/run} installs them), for the tests that drive the page: opening it
 * with an operator's token, reading a panel's table, taking screenshots. Selenium is an optional
 * dependency of this module: a test module that uses this class declares {@code
 * selenium-chrome-driver} and {@code selenium-support} itself.
 */
public final class ConsoleBrowser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver browser;
  private final Path screenshots;

  private ConsoleBrowser(ChromeDriver browser, Path screenshots) {
    this.browser = browser;
    this.screenshots = screenshots;
  }

  /** Starts a headless Chromium whose screenshots go to {@code screenshots}. */
  public static ConsoleBrowser start(Path screenshots) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "The operator console tests need Chromium and its driver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + ": apt-get install chromium chromium-driver (.ci/run does)");
    }
    Files.createDirectories(screenshots);
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the build may run as root (CI containers), where Chromium's sandbox refuses.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
    var service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ConsoleBrowser(new ChromeDriver(service, options), screenshots);
  }

  /** Opens the console at {@code consoleUrl} and pastes {@code token} as the operator does. */
  public void open(String consoleUrl, String token) {
    browser.get(consoleUrl);
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("token-use")).click();
  }

  /** The page's driver, for what the helpers here do not cover. */
  public ChromeDriver driver() {
    return browser;
  }

  /** Waits up to {@code timeout} for conditions on the page. */
  public WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(browser, timeout);
  }

  /** The text of column {@code index} of every body row of the table with id {@code table}. */
  public List<String> column(String table, int index) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
        .map(row -> row.findElements(By.tagName("td")).get(index))
        .map(WebElement::getText)
        .toList();
  }

  /** The page as it looks now, as {@code name} in the screenshot directory. */
  public void screenshot(String name) throws IOException {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    browser.quit();
  }
}
