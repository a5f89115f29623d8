package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium; nothing is downloaded): a pipeline made from its Metatype form (a bad value first),
 * started, its loss chart watched as it updates, a component swapped by uploading a new plugin
 * version while the run goes on, the swap seen in the events log, the run stopped; the samples,
 * comparison and health pages. Screenshots of every page go to {@code target/console-screenshots}.
 */
public class ConsoleBrowserIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private ConsoleRuntime runtime;
    private WebDriver browser;
    private Path shots;

    @Before
    public void start() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new AssertionError("the browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; ./synthloom test installs them)");
        }
        runtime = ConsoleRuntime.start("ConsoleBrowserIT");
        Path target = Path.of(System.getProperty("synthloom.itest.work")).getParent();
        shots = Files.createDirectories(target.resolve("console-screenshots"));
        Path profile = Files.createTempDirectory(target, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1360,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @After
    public void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private void open(String hash) {
        browser.get(runtime.base + "?token=" + runtime.token + hash);
    }

    private WebElement await(String what, By by) throws InterruptedException {
        return Await.value(what, TIMEOUT, () -> {
            List<WebElement> found = browser.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private void awaitText(String what, By by, String text) throws InterruptedException {
        awaitPage(what, () -> browser.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
    }

    /** Waits for a condition on a page that redraws itself: an element gone stale is just not there yet. */
    private static void awaitPage(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Await.until(what, TIMEOUT, () -> {
            try {
                return condition.getAsBoolean();
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException redrawn) {
                return false;
            }
        });
    }

    private void screenshot(String name) throws Exception {
        Thread.sleep(300); // let charts and images settle
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private int chartPoints() {
        String points = browser.findElement(By.id("loss-chart")).getAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    private static void type(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }

    private String runState(String id) throws Exception {
        return runtime.get("/api/v1/runs/" + id).json().getAsJsonObject().get("state").getAsString();
    }

    @Test
    public void aPipelineFromItsFormIsRunWatchedSwappedMidRunAndStopped() throws Exception {
        // Text from the server is shown as text: markup in a description stays inert.
        assertEquals(201, runtime.post("/api/v1/pipelines", "{\"name\": \"markup\", \"properties\": "
                + "{\"description\": \"<img src=x onerror=document.title='owned'>\"}}").status());
        open("#/pipelines");
        WebElement markup = await("the pipelines table", By.cssSelector("tr[data-pipeline='markup']"));
        assertTrue(markup.getText(), markup.getText().contains("<img src=x onerror="));
        assertTrue(markup.findElements(By.tagName("img")).isEmpty());
        assertFalse("owned".equals(browser.getTitle()));
        await("it-small", By.cssSelector("tr[data-pipeline='it-small']"));
        screenshot("pipelines");

        // A new pipeline from the form of it-small (Clone), with a bad value first.
        browser.findElement(By.cssSelector("tr[data-pipeline='it-small']")).findElement(By.linkText("Clone")).click();
        WebElement name = await("the pipeline form", By.id("pipeline-name"));
        type(name, "browser-run");
        WebElement steps = browser.findElement(By.name("train.steps"));
        type(steps, "0");
        browser.findElement(By.id("save-pipeline")).click();
        awaitText("the validation message", By.cssSelector(".field-error[data-field='train.steps']"), "less than minimum");
        assertEquals("a refused form creates nothing", 404, runtime.get("/api/v1/pipelines/browser-run").status());
        screenshot("pipeline-form");
        type(steps, "2000");
        type(browser.findElement(By.name("log.every")), "5");
        type(browser.findElement(By.name("checkpoint.every")), "500");
        browser.findElement(By.id("save-and-start")).click();
        Await.until("the run page", TIMEOUT, () -> browser.getCurrentUrl().contains("#/runs/"));
        String runId = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#/runs/") + 7);
        await("the loss chart", By.id("loss-chart"));

        // The loss chart updates live.
        awaitPage("two points on the loss chart", () -> chartPoints() >= 2);
        int seen = chartPoints();
        awaitPage("more points on the loss chart", () -> chartPoints() > seen);
        screenshot("run");

        // A new version of the objectives plugin, uploaded while the run trains.
        byte[] jar = Jars.withVersion(ConsoleRuntime.exportedJar("org.synthloom.objectives"), "0.1.1.browser");
        Path upload = shots.getParent().resolve("console-uploads/org.synthloom.objectives-0.1.1.browser.jar");
        Files.createDirectories(upload.getParent());
        Files.write(upload, jar);
        open("#/components");
        WebElement file = await("the upload field", By.id("plugin-file"));
        file.sendKeys(upload.toString());
        long uploadStarted = System.currentTimeMillis();
        browser.findElement(By.id("upload-button")).click();
        awaitText("the upload to be done", By.id("upload-result"), "updated");
        long uploaded = System.currentTimeMillis();
        awaitText("the new version in the bundle table", By.cssSelector("tr[data-bundle='org.synthloom.objectives']"),
                "0.1.1.browser");
        awaitText("the update in the activity log", By.id("activity"), "org.synthloom.objectives 0.1.1.browser");
        screenshot("components");

        open("#/runs/" + runId);
        awaitText("the swap in the events log", By.cssSelector("#events tr[data-type='COMPONENT_SWAPPED']"), "objective");
        JsonObject swap = runtime.get("/api/v1/runs/" + runId + "/events?type=COMPONENT_SWAPPED").json().getAsJsonObject()
                .getAsJsonArray("events").get(0).getAsJsonObject();
        assertTrue(swap.toString(), swap.get("component").getAsString().contains("0.1.1.browser"));
        System.out.printf("console: upload to bundle active %d ms; upload to swap in the run %d ms%n",
                uploaded - uploadStarted, swap.get("time").getAsLong() - uploadStarted);
        assertEquals("the run goes on after the swap", "RUNNING", runState(runId));
        awaitPage("two points on the loss chart", () -> chartPoints() >= 2);
        int afterSwap = chartPoints();
        awaitPage("training to go on after the swap", () -> chartPoints() > afterSwap);
        js("document.getElementById('events').scrollIntoView({block: 'center'})");
        screenshot("run-swap");

        js("window.scrollTo(0, 0)");
        browser.findElement(By.id("stop")).click();
        awaitText("the run to stop", By.id("run-state"), "CANCELLED");
        assertEquals("CANCELLED", runState(runId));

        // Samples: human and synthetic, filtered by source.
        open("#/samples/" + runId);
        await("the gallery", By.cssSelector("#gallery .sample"));
        Await.until("the images to load", TIMEOUT, () -> (Boolean) js(
                "return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)"));
        screenshot("samples");
        browser.findElement(By.cssSelector("#sample-source option[value='synthetic']")).click();
        awaitPage("only synthetic samples", () -> {
            List<WebElement> cards = browser.findElements(By.cssSelector("#gallery .sample"));
            return !cards.isEmpty() && cards.stream().allMatch(c -> "synthetic".equals(c.getAttribute("data-source")));
        });

        // Two runs side by side.
        String other = runtime.post("/api/v1/pipelines/it-small/start", null).json().getAsJsonObject().get("id").getAsString();
        Await.until("a metric of the second run", TIMEOUT, () -> {
            try {
                JsonObject m = runtime.get("/api/v1/runs/" + other + "/metrics").json().getAsJsonObject().getAsJsonObject("metrics");
                return m.has("loss") && m.getAsJsonArray("loss").size() >= 2;
            } catch (Exception e) {
                return false;
            }
        });
        runtime.post("/api/v1/runs/" + other + "/stop", null);
        open("#/compare/" + runId + "," + other);
        awaitText("the comparison", By.id("compare-table"), "loss");
        screenshot("compare");

        open("#/health");
        awaitText("the device", By.id("health-device"), "PyTorch");
        screenshot("health");
        JsonElement activity = runtime.get("/api/v1/activity").json();
        assertTrue(activity.toString().contains("COMPONENT_SWAPPED"));
        assertTrue(Files.readAllBytes(shots.resolve("run-swap.png")).length > 1000);
        assertFalse(new String(Files.readAllBytes(shots.resolve("health.png")), StandardCharsets.ISO_8859_1).isEmpty());
    }
}
