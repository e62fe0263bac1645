// SPDX-License-Identifier: GPL-2.0
/*
 * The C shim over Google Benchmark 1.7.1 (the only C++ in trampbench).
 * See gbench.h.
 */
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include <err.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include "gbench.h"
#include "results.h"

struct tb_gb_state {
	benchmark::State *gb;
};

namespace {

const char out_flag[] = "--benchmark_out=";

/* Plain arrays: read by an atexit() handler, after C++ destructors. */
char out_path[PATH_MAX];	/* the results file, "" for none */
char tmp_path[PATH_MAX];	/* what Google Benchmark writes, "" if none */
unsigned int body_errors;
void (*user_help)(void);
void (*signal_hook)(void);

/* A benchmark's parts as tb_gb_set_id() had them, with their strings. */
struct id_copy {
	std::string scenario, variant, variant_short;
	std::vector<std::string> names, values;
	std::vector<bool> has_value;
	std::vector<tb_gb_param> params;
	tb_gb_id id;
};

/*
 * Every registered benchmark: its name as registered, and as Google
 * Benchmark 1.7.1 names the instance it runs and matches the filter
 * against (BenchmarkInstance: name, then min_time:%0.3f,
 * min_warmup_time:%0.3f, iterations:%lu, repeats:%d, manual_time).
 */
struct registered {
	std::string name, instance;
	std::unique_ptr<id_copy> id; /* tb_gb_set_id()'s, or none */
};
std::vector<registered> benchmarks;

/* The parts of registered benchmark @b, or NULL. */
const tb_gb_id *id_of(const registered &b)
{
	return b.id ? &b.id->id : nullptr;
}

/* Indexes into benchmarks: by name as registered, by instance name. */
std::unordered_map<std::string, size_t> by_name, by_instance;

/* The registered benchmark called @name (as registered), or NULL. */
registered *find_name(const std::string &name)
{
	auto it = by_name.find(name);

	return it == by_name.end() ? nullptr : &benchmarks[it->second];
}

/*
 * The parts of the benchmark whose rows Google Benchmark names @run_name
 * (the instance's name), for tb_results_add_ids().
 */
const tb_gb_id *id_of_run(const char *run_name, void *arg)
{
	auto it = by_instance.find(run_name);

	(void)arg;
	return it == by_instance.end() ? nullptr :
					 id_of(benchmarks[it->second]);
}

/*
 * The rows of @path given their parts.  A stop signal waits until the
 * file is whole again: the handler removes only @path, not the
 * temporary file tb_results_add_ids() writes beside it.
 */
int add_ids(const char *path)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	sigset_t stop, old;
	int ret;

	sigemptyset(&stop);
	for (int sig : sigs)
		sigaddset(&stop, sig);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	ret = tb_results_add_ids(path, id_of_run, nullptr);
	pthread_sigmask(SIG_SETMASK, &old, nullptr);
	return ret;
}

/* Has any benchmark its parts? Else the results file is left alone. */
bool any_id()
{
	for (const registered &b : benchmarks)
		if (b.id)
			return true;
	return false;
}
struct tb_gb_display display;
bool display_set;

/*
 * Does 1.7.1's filter select @instance?  An extended regular expression
 * searched for in the name, "-" first negates it, "" and "all" select
 * everything (benchmark.cc, re.h).
 */
bool filter_selects(const std::regex &re, bool negate,
		    const std::string &instance)
{
	return std::regex_search(instance, re) != negate;
}

/* The filter as 1.7.1 reads it; false if it is no regular expression. */
bool filter_compile(std::regex &re, bool &negate)
{
	std::string spec = benchmark::GetBenchmarkFilter();

	negate = false;
	if (spec.empty() || spec == "all")
		spec = ".";
	if (spec[0] == '-') {
		negate = true;
		spec = spec.substr(1);
	}
	try {
		re = std::regex(spec, std::regex_constants::extended);
	} catch (const std::regex_error &) {
		return false;
	}
	return true;
}

/*
 * Google Benchmark's runs of each benchmark, handed to the C display as
 * one result once complete.  1.7.1 reports a benchmark in two calls
 * (the repetitions, then the aggregates, which exist when at least two
 * repetitions succeeded) or in one (either alone).
 */
class display_reporter : public benchmark::BenchmarkReporter {
public:
	bool ReportContext(const Context &context) override
	{
		/* The machine, as Google Benchmark sees it: on stderr. */
		PrintBasicContext(&GetErrorStream(), context);
		return true;
	}

	void ReportRuns(const std::vector<Run> &runs) override
	{
		bool aggregates = false;
		int ok = 0;

		if (runs.empty())
			return;
		if (!pending.empty() &&
		    pending[0].run_name.function_name !=
			    runs[0].run_name.function_name)
			flush();
		for (const Run &r : runs) {
			aggregates |= r.run_type == Run::RT_Aggregate;
			ok += r.run_type == Run::RT_Iteration &&
			      !r.error_occurred;
		}
		pending.insert(pending.end(), runs.begin(), runs.end());
		/* The repetitions of a benchmark with aggregates to come. */
		if (!aggregates && ok >= 2)
			return;
		flush();
	}

	void Finalize() override
	{
		flush();
		if (display.done)
			display.done(display.arg);
	}

private:
	std::vector<Run> pending;

	void flush()
	{
		std::vector<std::vector<tb_gb_counter>> counters;
		std::vector<tb_gb_row> rows;
		const registered *b;
		tb_gb_result r;

		if (pending.empty())
			return;
		counters.reserve(pending.size());
		for (const Run &p : pending) {
			std::vector<tb_gb_counter> c;

			for (const auto &kv : p.counters)
				c.push_back({ kv.first.c_str(),
					      kv.second.value });
			counters.push_back(std::move(c));
		}
		for (size_t i = 0; i < pending.size(); i++) {
			const Run &p = pending[i];
			bool agg = p.run_type == Run::RT_Aggregate;

			rows.push_back({ agg ? p.aggregate_name.c_str() :
					       nullptr,
					 p.error_occurred,
					 p.error_message.c_str(),
					 p.report_label.c_str(),
					 counters[i].data(),
					 (unsigned int)counters[i].size() });
		}
		r.name = pending[0].run_name.function_name.c_str();
		b = find_name(pending[0].run_name.function_name);
		r.id = b ? id_of(*b) : nullptr;
		r.rows = rows.data();
		r.nrows = (unsigned int)rows.size();
		if (display.finished)
			display.finished(&r, display.arg);
		pending.clear();
	}
};

void remove_tmp()
{
	if (tmp_path[0])
		unlink(tmp_path);
}

/*
 * At exit, not after each run: 1.7.1's Shutdown() deletes the custom
 * context without clearing the pointer, and a later run crashes on it.
 */
void at_exit()
{
	remove_tmp();
	benchmark::Shutdown();
}

/*
 * Interrupted (Ctrl-C, a closed pipe, kill): take the unfinished temp file
 * away, then die of the same signal.  unlink() is async-signal-safe.
 */
void on_signal(int sig)
{
	remove_tmp();
	if (signal_hook)
		signal_hook();
	signal(sig, SIG_DFL);
	raise(sig);
}

void at_exit_once()
{
	static bool done;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

	if (done)
		return;
	done = !atexit(at_exit);
	for (int sig : sigs)
		if (signal(sig, SIG_IGN) != SIG_IGN) /* keep nohup's choice */
			signal(sig, on_signal);
}

/* The program's own usage first, then Google Benchmark's flags. */
void print_help()
{
	if (user_help) {
		user_help();
		printf("\nGoogle Benchmark's flags, passed through to it:\n\n");
	}
	fflush(stdout);
	benchmark::PrintDefaultHelp();
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strncmp(arg, "--help=", 7) ||
	       !strcmp(arg, "-h");
}

/* Run a body; a body that leaves its loop early is an error, not an abort. */
void run_body(benchmark::State &s, tb_gb_fn fn, void *arg)
{
	tb_gb_state st = { &s };

	fn(&st, arg);
	if (!s.error_occurred() && s.iterations() < s.max_iterations) {
		s.SkipWithError(
			"body returned before tb_gb_keep_running() returned false");
		body_errors++;
	}
}

/* The instance's name, as 1.7.1 makes it (benchmark_api_internal.cc). */
std::string instance_name(const char *name, const struct tb_gb_opts *o)
{
	std::string s = name;
	char buf[64];

	if (o->min_time > 0) {
		snprintf(buf, sizeof(buf), "/min_time:%0.3f", o->min_time);
		s += buf;
	}
	if (o->min_warmup_time > 0) {
		snprintf(buf, sizeof(buf), "/min_warmup_time:%0.3f",
			 o->min_warmup_time);
		s += buf;
	}
	if (o->iterations) {
		snprintf(buf, sizeof(buf), "/iterations:%lu",
			 (unsigned long)o->iterations);
		s += buf;
	}
	if (o->repetitions) {
		snprintf(buf, sizeof(buf), "/repeats:%d", o->repetitions);
		s += buf;
	}
	if (o->manual_time)
		s += "/manual_time";
	return s;
}

} // namespace

int tb_gb_register(const char *name, tb_gb_fn fn, void *arg,
		   const struct tb_gb_opts *opts)
{
	static const benchmark::TimeUnit units[] = {
		benchmark::kNanosecond, benchmark::kMicrosecond,
		benchmark::kMillisecond, benchmark::kSecond,
	};
	static const struct tb_gb_opts none = {};

	if (!opts)
		opts = &none;
	/* Google Benchmark CHECK()s these and aborts: refuse them here. */
	if (!name || !fn || opts->repetitions < 0 || !(opts->min_time >= 0) ||
	    !(opts->min_warmup_time >= 0) || opts->unit > TB_UNIT_S ||
	    opts->iterations > INT64_MAX ||
	    (opts->iterations && (opts->min_time > 0)))
		return -EINVAL;

	try {
		auto body = [fn, arg](benchmark::State &s) {
			run_body(s, fn, arg);
		};
		auto *b = benchmark::RegisterBenchmark(name, body);

		if (opts->manual_time)
			b->UseManualTime();
		/* ns is the default: leave --benchmark_time_unit its say. */
		if (opts->unit != TB_UNIT_NS)
			b->Unit(units[opts->unit]);
		if (opts->repetitions)
			b->Repetitions(opts->repetitions);
		if (opts->min_time > 0)
			b->MinTime(opts->min_time);
		if (opts->min_warmup_time > 0)
			b->MinWarmUpTime(opts->min_warmup_time);
		if (opts->iterations)
			b->Iterations(
				(benchmark::IterationCount)opts->iterations);
		std::string inst = instance_name(name, opts);

		/* the first of a name wins, as in the filter's eyes */
		by_name.emplace(name, benchmarks.size());
		by_instance.emplace(inst, benchmarks.size());
		benchmarks.push_back({ name, inst, nullptr });
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	}
	return 0;
}

int tb_gb_set_id(const char *name, const struct tb_gb_id *id)
{
	registered *b = find_name(name);

	if (!b)
		return -ENOENT;
	try {
		auto c = std::make_unique<id_copy>();

		c->scenario = id->scenario ? id->scenario : "";
		c->variant = id->variant ? id->variant : "";
		c->variant_short = id->variant_short ? id->variant_short : "";
		for (unsigned int i = 0; i < id->nparams; i++) {
			const char *v = id->params[i].value;

			c->names.push_back(id->params[i].name);
			c->values.push_back(v ? v : "");
			c->has_value.push_back(v);
		}
		/* pointers into the strings, once they no longer move */
		for (size_t i = 0; i < c->names.size(); i++)
			c->params.push_back({ c->names[i].c_str(),
					      c->has_value[i] ?
						      c->values[i].c_str() :
						      nullptr });
		c->id = { c->scenario.c_str(), c->variant.c_str(),
			  c->variant_short.c_str(), c->params.data(),
			  (unsigned int)c->params.size() };
		b->id = std::move(c);
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	}
	return 0;
}

void tb_gb_for_each_registered(void (*fn)(const char *name,
					  const struct tb_gb_id *id, void *arg),
			       void *arg)
{
	for (const registered &b : benchmarks)
		fn(b.name.c_str(), id_of(b), arg);
}

bool tb_gb_keep_running_batch(struct tb_gb_state *st, uint64_t n)
{
	if (!n)
		n = 1;
	if (n > INT64_MAX)
		n = INT64_MAX;
	return st->gb->KeepRunningBatch((benchmark::IterationCount)n);
}

bool tb_gb_keep_running(struct tb_gb_state *st)
{
	return st->gb->KeepRunning();
}

uint64_t tb_gb_max_iterations(const struct tb_gb_state *st)
{
	return (uint64_t)st->gb->max_iterations;
}

uint64_t tb_gb_iterations(const struct tb_gb_state *st)
{
	return (uint64_t)st->gb->iterations();
}

void tb_gb_set_iteration_time(struct tb_gb_state *st, double seconds)
{
	st->gb->SetIterationTime(seconds);
}

void tb_gb_set_counter(struct tb_gb_state *st, const char *name, double value,
		       unsigned int flags)
{
	int f = benchmark::Counter::kDefaults;

	if (flags & TB_COUNTER_PER_CALL)
		f |= benchmark::Counter::kAvgIterations;
	try {
		st->gb->counters[name] = benchmark::Counter(
			value, static_cast<benchmark::Counter::Flags>(f));
	} catch (const std::bad_alloc &) {
		tb_gb_skip_with_error(st, "out of memory for a counter");
	}
}

void tb_gb_set_label(struct tb_gb_state *st, const char *label)
{
	st->gb->SetLabel(label);
}

void tb_gb_skip(struct tb_gb_state *st, const char *why)
{
	st->gb->SkipWithError(why);
}

void tb_gb_skip_with_error(struct tb_gb_state *st, const char *msg)
{
	st->gb->SkipWithError(msg);
	body_errors++;
}

void tb_gb_add_context(const char *key, const char *value)
{
	try {
		benchmark::AddCustomContext(key, value);
	} catch (const std::bad_alloc &) {
		warnx("out of memory for context %s", key);
	}
}

int tb_gb_initialize(int *argc, char **argv, const char *default_out,
		     void (*help)(void))
{
	static std::string out_arg;
	const size_t flag_len = sizeof(out_flag) - 1;
	std::vector<char *> args;
	const char *out = nullptr;
	bool want_help = false;
	int n, k;

	/* A second call replaces the first one's results file. */
	remove_tmp();
	tmp_path[0] = out_path[0] = '\0';

	try {
		/* Google Benchmark parses its flags in order: the last wins. */
		for (int i = 0; i < *argc; i++) {
			if (i && !strncmp(argv[i], out_flag, flag_len)) {
				out = argv[i] + flag_len;
				continue;
			}
			want_help |= i && is_help(argv[i]);
			args.push_back(argv[i]);
		}
		if (!out)
			out = getenv("BENCHMARK_OUT");
		if (!out)
			out = default_out;

		if (out && *out && !want_help) {
			int fd;

			if (strlen(out) >= sizeof(out_path)) {
				warnx("results file name '%s' is too long",
				      out);
				return -ENAMETOOLONG;
			}
			fd = tb_results_check_dest(out);
			if (!fd)
				fd = tb_results_tmp_create(out, tmp_path,
							   sizeof(tmp_path));
			if (fd < 0) {
				tmp_path[0] = '\0';
				return fd;
			}
			close(fd);
			strcpy(out_path, out);
		}
		/*
		 * Always explicit: an empty value overrides $BENCHMARK_OUT,
		 * which Google Benchmark read at start-up, so it never writes
		 * a results file in place by itself.
		 */
		out_arg = std::string(out_flag) + tmp_path;
		args.push_back(&out_arg[0]);
	} catch (const std::bad_alloc &) {
		warnx("out of memory parsing arguments");
		return -ENOMEM;
	}

	at_exit_once();
	user_help = help;
	if (want_help) {
		print_help();
		exit(0);
	}
	n = (int)args.size();
	args.push_back(nullptr);
	benchmark::Initialize(&n, args.data(), print_help);

	/* Hand back what Google Benchmark left: the caller's own flags. */
	for (int i = k = 0; i < n; i++)
		if (args[i] != &out_arg[0])
			argv[k++] = args[i];
	argv[k] = nullptr;
	*argc = k;
	return 0;
}

bool tb_gb_report_unrecognized(int argc, char **argv)
{
	return benchmark::ReportUnrecognizedArguments(argc, argv);
}

const char *tb_gb_out_path(void)
{
	return out_path[0] ? out_path : nullptr;
}

void tb_gb_set_signal_hook(void (*fn)(void))
{
	signal_hook = fn;
}

const char *tb_gb_filter(void)
{
	static std::string filter;

	try {
		filter = benchmark::GetBenchmarkFilter();
	} catch (const std::bad_alloc &) {
		return "";
	}
	return filter.c_str();
}

void tb_gb_set_display(const struct tb_gb_display *d)
{
	display_set = d;
	display = d ? *d : tb_gb_display{};
}

namespace {

/* The benchmarks the filter selects, in order; -1 if it is no regex. */
long filtered(std::vector<const registered *> &sel)
{
	bool negate;
	std::regex re;

	try {
		if (!filter_compile(re, negate))
			return -1;
		for (const registered &b : benchmarks)
			if (filter_selects(re, negate, b.instance))
				sel.push_back(&b);
	} catch (const std::bad_alloc &) {
		return -1;
	}
	return (long)sel.size();
}

} // namespace

long tb_gb_for_each_selected(void (*fn)(const char *name, void *arg), void *arg)
{
	std::vector<const registered *> sel;
	long n = filtered(sel);

	for (long i = 0; fn && i < n; i++)
		fn(sel[i]->name.c_str(), arg);
	return n;
}

int tb_gb_run(void)
{
	display_reporter ours;
	std::vector<const registered *> sel;
	/* Tell the display which benchmarks will run, and how many. */
	long nsel = display_set ? filtered(sel) : -1;

	for (const registered *b : sel)
		if (display.selected)
			display.selected(b->name.c_str(), id_of(*b),
					 display.arg);
	/*
	 * Pass the default display reporter in: left to itself, 1.7.1 frees
	 * the one it caches, and a second run crashes (google/benchmark#2240).
	 */
	size_t n = benchmark::RunSpecifiedBenchmarks(
		display_set ? &ours :
			      benchmark::CreateDefaultDisplayReporter());
	int ret = n > INT_MAX ? INT_MAX : (int)n;
	struct stat st;

	/* Another library version might name instances otherwise. */
	if (nsel >= 0 && n && (size_t)nsel != n)
		warnx("the display expected %ld benchmarks, Google Benchmark ran %zu: tables wait for the end",
		      nsel, n);

	at_exit_once();
	if (tmp_path[0]) {
		/* Empty: nothing was run (--benchmark_list_tests, no match). */
		if (stat(tmp_path, &st) || !st.st_size) {
			unlink(tmp_path);
			out_path[0] = '\0'; /* no file to name */
		} else if ((any_id() && add_ids(tmp_path)) ||
			   tb_results_publish(tmp_path, out_path)) {
			warnx("this run's results are kept in %s", tmp_path);
			ret = -1;
		}
		tmp_path[0] = '\0';
	}
	if (body_errors)
		ret = -1;
	body_errors = 0;
	return ret;
}
