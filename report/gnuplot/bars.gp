# SPDX-License-Identifier: GPL-2.0
# Grouped bars: a panel per scenario, a group per parameter set, one bar
# per variant, min..max of the repetitions as error bars; a variant
# skipped on this machine has no bar.
# Data: report/plots.py writes DIR/gnuplot/bars.dat; see common.gp.
#
#   gnuplot -e "datafile='report/NAME/gnuplot/bars.dat'" report/gnuplot/bars.gp

load system("dirname '".ARG0."'")."/common.gp"
panels = meta("panels")
np = words(panels)
nc = (np < 3) ? np : 3
nr = (np + nc - 1) / nc
W = 400 * nc + 260
H = 340 * nr + 120
eval termcmd(W, H)
set output out
eval layout(nr, nc)
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border lc rgb "#000000"
set ylabel "cycles/call"
set yrange [*<0:*]	# from 0 unless a value is below it
set xzeroaxis lc rgb "#000000"
set grid noxtics ytics
do for [p = 1:np] {
	set title word(panels, p)
	eval keyed(p == np)
	plot for [i = 1:nl] datafile index (p - 1) \
		using (column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)):xtic(1) \
		lc rgb color(i) title label(i)
}
unset multiplot
