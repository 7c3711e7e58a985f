#ifndef UNROLL_CNCURSESW_SHIM_H
#define UNROLL_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <langinfo.h>
#include <fcntl.h>

// Swift cannot import function-like macros or (under strict concurrency)
// touch ncurses' mutable globals, so every macro and global the backend uses
// is reached through one of these shims. Never hard-code their values in Swift.

// MARK: Globals

static inline WINDOW *unroll_stdscr(void) { return stdscr; }
static inline WINDOW *unroll_curscr(void) { return curscr; }
static inline int unroll_colors(void) { return COLORS; }
static inline int unroll_color_pairs(void) { return COLOR_PAIRS; }
static inline int unroll_ok(void) { return OK; }
static inline int unroll_err(void) { return ERR; }

/// Whether the terminal named by TERM can move the cursor (has `cup`), which a full-screen view needs:
/// 1 yes, 0 no (TERM=dumb, a printing terminal), -1 when TERM has no terminfo entry at all.
/// Loads the entry and frees it again, writing nothing to the terminal.
static inline int unroll_term_addressable(void) {
    int error = 0;
    if (setupterm(NULL, STDOUT_FILENO, &error) != OK) return -1;
    char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return ok;
}

/// newterm on the process's stdout/stdin; returns NULL instead of exiting on failure.
static inline SCREEN *unroll_newterm(void) { return newterm(NULL, stdout, stdin); }

/// The locale's character set name (nl_langinfo(CODESET)), e.g. "UTF-8".
static inline const char *unroll_codeset(void) { return nl_langinfo(CODESET); }

/// Size of the terminal on fd via TIOCGWINSZ; returns 0 on success, -1 on failure.
static inline int unroll_window_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

/// A pipe whose ends are non-blocking and close-on-exec (fcntl is variadic,
/// so Swift cannot call it portably). Returns 0 on success, -1 on failure.
static inline int unroll_nonblocking_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        int flags = fcntl(fds[i], F_GETFL);
        if (flags < 0 || fcntl(fds[i], F_SETFL, flags | O_NONBLOCK) != 0) return -1;
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

/// Writes the terminal's enter-alternate-screen capability (smcup), if any.
/// Used after a suspend, where the terminal was reset behind ncurses' back.
static inline void unroll_enter_ca_mode(void) {
    char *s = tigetstr((NCURSES_CONST char *)"smcup");
    if (s != NULL && s != (char *)-1) putp(s);
}

// MARK: Window geometry

static inline int unroll_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int unroll_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

// MARK: Colour pairs and attributes

static inline attr_t unroll_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t unroll_a_normal(void) { return A_NORMAL; }
static inline attr_t unroll_a_bold(void) { return A_BOLD; }
static inline attr_t unroll_a_dim(void) { return A_DIM; }
static inline attr_t unroll_a_reverse(void) { return A_REVERSE; }
static inline attr_t unroll_a_underline(void) { return A_UNDERLINE; }
static inline short unroll_color_black(void) { return COLOR_BLACK; }

// MARK: Key codes

static inline int unroll_key_code_yes(void) { return KEY_CODE_YES; }
static inline int unroll_key_up(void) { return KEY_UP; }
static inline int unroll_key_down(void) { return KEY_DOWN; }
static inline int unroll_key_left(void) { return KEY_LEFT; }
static inline int unroll_key_right(void) { return KEY_RIGHT; }
static inline int unroll_key_home(void) { return KEY_HOME; }
static inline int unroll_key_end(void) { return KEY_END; }
static inline int unroll_key_ppage(void) { return KEY_PPAGE; }
static inline int unroll_key_npage(void) { return KEY_NPAGE; }
static inline int unroll_key_ic(void) { return KEY_IC; }
static inline int unroll_key_dc(void) { return KEY_DC; }
static inline int unroll_key_enter(void) { return KEY_ENTER; }
static inline int unroll_key_backspace(void) { return KEY_BACKSPACE; }
static inline int unroll_key_btab(void) { return KEY_BTAB; }
static inline int unroll_key_resize(void) { return KEY_RESIZE; }
static inline int unroll_key_mouse(void) { return KEY_MOUSE; }
static inline int unroll_key_f(int n) { return KEY_F(n); }

// MARK: Mouse

static inline mmask_t unroll_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t unroll_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t unroll_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t unroll_button2_clicked(void) { return BUTTON2_CLICKED; }
static inline mmask_t unroll_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t unroll_button3_clicked(void) { return BUTTON3_CLICKED; }
static inline mmask_t unroll_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t unroll_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}

#endif
