//go:build linux

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: its master end, to read what was
// drawn, and its slave end, which isTerminal takes for a terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		t.Fatalf("unlockpt: %v", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Fatalf("ptsname: %v", errno)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(); _ = s.Close() })
	return m, s
}

// TestProgressOnPTY runs summarize with a real terminal as stderr: the
// progress line is drawn, the notice about a headerless input comes
// whole on a cleared line, and the line is cleared at the end; standard
// output has the summary only.
func TestProgressOnPTY(t *testing.T) {
	master, slave := openPTY(t)
	if !isTerminal(slave) {
		t.Fatal("isTerminal does not take a pseudo-terminal for a terminal")
	}
	drawn := make(chan string)
	go func() {
		b, _ := io.ReadAll(master) // EIO once the slave end is closed
		drawn <- string(b)
	}()

	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.log":          header + strings.Repeat(good, 5000),
		"headerless.log": strings.Repeat(good, 5000),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	code := runTo(t, "", &out, slave, "summarize", "--workers", "1", "--by", "action", dir)
	_ = slave.Close()
	tty := strings.ReplaceAll(<-drawn, "\r\n", "\n") // the terminal's ONLCR
	if code != exitOK {
		t.Fatalf("exit status %d; the terminal shows %q", code, tty)
	}
	if !strings.Contains(out.String(), "ACCEPT") || strings.ContainsAny(out.String(), "\r\x1b") {
		t.Errorf("standard output %q", out.String())
	}
	if !strings.Contains(tty, "/2 inputs") || !strings.Contains(tty, "kB") {
		t.Errorf("no progress line on the terminal: %q", tty)
	}
	note := clearLine + filepath.Join(dir, "headerless.log") + ": no header line; reading headerless input in the default format (give --format for another)\n"
	if !strings.Contains(tty, note) {
		t.Errorf("the notice is not whole on a cleared line: %q", tty)
	}
	if !strings.HasSuffix(tty, clearLine) {
		t.Errorf("the line is not cleared at the end: %q", tty)
	}
}
