# SPDX-License-Identifier: GPL-2.0
# Shared by the trampbench plot scripts (loaded by sites.gp, bars.gp,
# updates.gp; not run on its own).  Everything about a plot - title,
# counter-mode note, labels, colours, the emulated mark - is read from
# the '# key: value' header lines of its .dat, which report/plots.py
# writes, so a script reruns by hand with the data file alone:
#
#   gnuplot -e "datafile='report/NAME/gnuplot/sites.dat'" report/gnuplot/sites.gp
#
# Optional: out='file.svg' (or .png; default: the .dat's name, .png),
# title='...' (default: the machine line of the .dat).

if (!exists("datafile")) {
	print "usage: gnuplot -e \"datafile='DIR/gnuplot/NAME.dat'[; out='NAME.svg'][; title='...']\" report/gnuplot/NAME.gp"
	exit status 2
}
meta(k) = system(sprintf("sed -n 's/^# %s: //p' '%s' | head -n 1", k, datafile))
if (!exists("out")) out = datafile[1:strlen(datafile) - 4].".png"
if (!exists("title")) title = meta("title")
subtitle = meta("subtitle")
emulated = int(meta("emulated") + 0)
labels = meta("labels")
colors = meta("colors")
dashes = meta("dashes")
points = meta("points")
nl = words(labels)
label(i) = word(labels, i)
color(i) = word(colors, i)
dash(i) = int(word(dashes, i) + 0)
point(i) = int(word(points, i) + 0)
ext = out[strlen(out) - 2:]
termcmd(w, h) = (ext eq "svg") ? \
	sprintf("set terminal svg size %d,%d dynamic font 'DejaVu Sans,12' background '#ffffff' noenhanced", w, h) : \
	sprintf("set terminal pngcairo size %d,%d font 'DejaVu Sans,11' noenhanced", w, h)
heading = title."\n".subtitle
set encoding utf8
set datafile missing "NaN"
set grid lc rgb "#d8d8d8"
# The picture is W x H pixels (set by each script before termcmd).  One
# key serves all panels, right of them: the panels leave it 210 pixels,
# the heading 95 on top, and only the last panel draws the key (keyed).
keyed(last) = last ? \
	"set key at screen 0.995, screen 0.5 right center vertical Left reverse noenhanced samplen 3" : \
	"unset key"
layout(r, c) = sprintf("set multiplot layout %d, %d margins %f, %f, %f, %f spacing %f, %f title heading font ',13'", \
	r, c, 75.0 / W, 1 - 210.0 / W, 55.0 / H, 1 - 95.0 / H, 80.0 / W, 85.0 / H)
set style textbox transparent border lc rgb "#80c00000" linewidth 2
# The emulated mark, across every panel, and a grey ground: an emulated
# run is never drawn as if it were silicon.
if (emulated) {
	set label 99 meta("watermark1")."\n".meta("watermark2") \
		at graph 0.5, 0.5 center rotate by 20 \
		font ",15" tc rgb "#70c00000" front boxed
	set object 99 rectangle from graph 0, 0 to graph 1, 1 behind \
		fc rgb "#f3f3f3" fs solid noborder
}
