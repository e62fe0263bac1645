# SPDX-License-Identifier: GPL-2.0
# Update costs: flip (cycles per call with one update per K calls,
# against K, a line per variant) and update (cycles per update, alone or
# concurrent, a bar per variant); log y where the values span decades.
# Data: report/plots.py writes DIR/gnuplot/updates.dat; see common.gp.
#
#   gnuplot -e "datafile='report/NAME/gnuplot/updates.dat'" report/gnuplot/updates.gp

load system("dirname '".ARG0."'")."/common.gp"
flip = int(meta("flip") + 0)
update = int(meta("update") + 0)
np = flip + update
W = 500 * np + 260
H = 500
eval termcmd(W, H)
set output out
eval layout(1, np)
if (flip) {
	set title "flip"
	set logscale x 2
	if (int(meta("logflip") + 0)) { set logscale y } else { unset logscale y }
	set xlabel "K (calls per update)"
	eval keyed(1)
	set ylabel "cycles/call, 1 update per K calls"
	plot for [i = 1:nl] datafile index (i - 1) using 1:2:3:4 \
		with yerrorlines lw 2 pt point(i) ps 0.9 lc rgb color(i) dt dash(i) \
		title label(i)
	unset logscale
}
if (update) {
	set title "update"
	if (int(meta("logupdate") + 0)) { set logscale y } else { unset logscale y }
	unset xlabel
	set ylabel "cycles/update"
	if (!int(meta("logupdate") + 0)) { set yrange [*<0:*] }
	eval keyed(!flip)
	set style data histograms
	set style histogram errorbars gap 1 lw 1
	set style fill solid 0.85 border lc rgb "#000000"
	set grid noxtics ytics
	plot for [i = 1:nl] datafile index (flip ? nl : 0) \
		using (column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)):xtic(1) \
		lc rgb color(i) title label(i)
}
unset multiplot
