# SPDX-License-Identifier: GPL-2.0
# The sites sweep: cycles/call (and mispredicts/call when counted)
# against the number of call sites N, log2 x, one line per variant with
# min..max of the repetitions as error bars, one panel per order/spacing.
# Data: report/plots.py writes DIR/gnuplot/sites.dat; see common.gp.
#
#   gnuplot -e "datafile='report/NAME/gnuplot/sites.dat'" report/gnuplot/sites.gp

load system("dirname '".ARG0."'")."/common.gp"
panels = meta("panels")
np = words(panels)
mis = int(meta("mispredicts") + 0)
rows = mis ? 2 : 1
W = 500 * np + 260
H = 380 * rows + 120
eval termcmd(W, H)
set output out
eval layout(rows, np)
set logscale x 2
set yrange [*<0:*]	# from 0 unless a value is below it
set xlabel "N (call sites)"
do for [r = 1:rows] {
	set ylabel (r == 1 ? "cycles/call" : "mispredicts/call")
	do for [p = 1:np] {
		set title word(panels, p)
		c = (r == 1) ? 2 : 5
		eval keyed(r == 1 && p == np)
		plot for [i = 1:nl] datafile index ((p - 1) * nl + i - 1) \
			using 1:c:c+1:c+2 with yerrorlines lw 2 pt point(i) ps 0.9 \
			lc rgb color(i) dt dash(i) title label(i)
	}
}
unset multiplot
