// Package headless opens a page in a headless Chromium for tests: it
// records every console error, uncaught exception and failed request while
// the page loads, evaluates a script in the live page and takes a
// full-page screenshot. It drives the browser with chromedp over a pipe
// (no websocket, no port), with a new empty profile per visit.
package headless

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser means no Chromium is installed; tests skip on it.
var ErrNoBrowser = errors.New("no Chromium found (install Debian's chromium package, or set CHROMIUM to the browser's path)")

// Find returns the path of a Chromium: $CHROMIUM if set, else the first of
// chromium, chromium-browser, google-chrome on $PATH.
func Find() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Visit is what happened when a page was opened.
type Visit struct {
	Problems   []string        // console errors, exceptions, failed or blocked requests
	Result     json.RawMessage // the value of the script, as JSON
	Screenshot []byte          // PNG of the whole page
	PDF        []byte          // the page printed, with Options.Print
}

// Options say how to open a page.
type Options struct {
	Width, Height int64  // the viewport in CSS pixels; default 1280x900
	Mobile        bool   // emulate a phone (touch, mobile viewport meta honoured)
	Script        string // a JavaScript expression evaluated after load; its value goes to Visit.Result
	Screenshot    bool
	// Print emulates print media before the script runs (so that it sees
	// the print stylesheet's layout) and prints the page to Visit.PDF.
	Print bool
}

// Browser is a running headless Chromium. Each Open uses a new tab.
type Browser struct {
	ctx    context.Context // the browser's first tab
	cancel func()
}

// Start starts the Chromium at path with a new empty profile in dir (which
// must be empty or absent). The flags are those that work as root in a
// container with no network: no sandbox, no GPU, no background
// networking, sync, component updates or QUIC. Close it when done.
func Start(path, dir string) (*Browser, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(dir),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		bcancel()
		acancel()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }}, nil
}

// Close stops the browser.
func (b *Browser) Close() { b.cancel() }

// Open opens url in a new tab and returns what happened, within ctx and
// at most a minute.
func (b *Browser) Open(ctx context.Context, url string, o Options) (*Visit, error) {
	if o.Width == 0 {
		o.Width, o.Height = 1280, 900
	}
	bctx, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	timer := time.AfterFunc(time.Minute, cancel)
	defer timer.Stop()

	var mu sync.Mutex
	v := &Visit{}
	problem := func(format string, args ...any) {
		mu.Lock()
		v.Problems = append(v.Problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	// Open the tab, then listen before navigating so that nothing the
	// page does is missed.
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	err := chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventLoadingFailed:
			problem("request failed: %s %s %s", ev.Type, ev.ErrorText, ev.BlockedReason)
		case *network.EventResponseReceived:
			if ev.Response != nil && ev.Response.Status >= 400 {
				problem("request failed: %s: HTTP %d", ev.Response.URL, ev.Response.Status)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	// Console messages are read on their own goroutine until the page
	// has been read; a derived context ends the subscription.
	cctx, ccancel := context.WithCancel(bctx)
	defer ccancel()
	console := chromedp.Console(cctx)
	consoleDone := make(chan struct{})
	go func() {
		defer close(consoleDone)
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == "error" || m.Type == "assert" || m.IsException() {
				problem("console %s: %s", m.Type, m.String())
			}
		}
	}()
	steps := []chromedp.Action[chromedp.Void]{}
	if o.Mobile {
		steps = append(steps, chromedp.EmulateViewport(o.Width, o.Height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	} else {
		steps = append(steps, chromedp.EmulateViewport(o.Width, o.Height))
	}
	steps = append(steps, chromedp.Navigate(url), chromedp.WaitReady("body"))
	if err := chromedp.Do(bctx, steps...); err != nil {
		return nil, fmt.Errorf("open %s: %w", url, err)
	}
	if o.Print {
		if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return nil, fmt.Errorf("print media: %w", err)
		}
		pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
		if err != nil {
			return nil, fmt.Errorf("print: %w", err)
		}
		v.PDF = pdf
	}
	if o.Script != "" {
		res, err := chromedp.Run(bctx, chromedp.Evaluate[json.RawMessage](o.Script))
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		v.Result = res
	}
	if o.Screenshot {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			return nil, fmt.Errorf("screenshot: %w", err)
		}
		v.Screenshot = png
	}
	// Evaluate one more expression as a barrier: every message the page
	// sent before it has been delivered when it returns.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[int]("0")); err != nil {
		return nil, err
	}
	ccancel()
	<-consoleDone
	return v, nil
}
