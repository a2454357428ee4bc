package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/password"
)

const userUsage = `user add NAME [--db DSN]      create a back-office user; the password is read on standard input
       user passwd NAME [--db DSN]   change a user's password (ends their sessions)
       user list [--db DSN]          list the users

The password is asked twice, without echo, on a terminal; otherwise the first
line of standard input is the password. It needs at least 12 characters.`

// runUser manages back-office users.
func (c *cli) runUser(ctx context.Context, args []string) int {
	fs := c.flagSet("user", userUsage)
	dsn := c.dbFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitUsage
	}
	verb, rest := pos[0], pos[1:]
	if (verb == "list") != (len(rest) == 0) || len(rest) > 1 || (verb != "add" && verb != "passwd" && verb != "list") {
		fs.Usage()
		return exitUsage
	}
	st, err := openStore(ctx, *dsn, verb == "add")
	if err != nil {
		fmt.Fprintf(c.stderr, "charte user: %v\n", err)
		return exitUsage
	}
	defer st.Close()

	if verb == "list" {
		users, err := st.FindUsers(ctx)
		if err != nil {
			fmt.Fprintf(c.stderr, "charte user list: %v\n", err)
			return exitUsage
		}
		for _, u := range users {
			fmt.Fprintf(c.stdout, "%s\t%s\n", u.Name, u.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"))
		}
		return exitOK
	}

	name := rest[0]
	if verb == "passwd" {
		if _, err := st.FindUserByName(ctx, name); err != nil {
			fmt.Fprintf(c.stderr, "charte user passwd: %s\n", charte.ErrorMessage(err))
			return exitInvalid
		}
	}
	pw, err := c.readPassword()
	if err != nil {
		fmt.Fprintf(c.stderr, "charte user %s: %v\n", verb, err)
		return exitInvalid
	}
	hash, err := password.Hash(pw, password.DefaultParams)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte user %s: %v\n", verb, err)
		return exitInvalid
	}
	if verb == "add" {
		err = st.CreateUser(ctx, &charte.User{Name: name, PasswordHash: hash})
	} else {
		err = st.UpdateUserPassword(ctx, name, hash)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "charte user %s: %s\n", verb, charte.ErrorMessage(err))
		if code := charte.ErrorCode(err); code == charte.ECONFLICT || code == charte.EINVALID || code == charte.ENOTFOUND {
			return exitInvalid
		}
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "user %q %s\n", name, map[string]string{"add": "created", "passwd": "password changed"}[verb])
	return exitOK
}

// readPassword reads a new password: twice without echo on a terminal,
// else the first line of standard input.
func (c *cli) readPassword() (string, error) {
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(c.stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(c.stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), password.Validate(string(a))
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	pw := strings.TrimRight(line, "\r\n")
	return pw, password.Validate(pw)
}
