#!/usr/bin/env bash
# Generates the default hold music and ringback (OGG/Opus, mono 48 kHz, 20 ms packets) from
# ffmpeg tone sources. The results are committed under public/audio; rerun to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p public/audio
opus=(-ac 1 -ar 48000 -c:a libopus -b:a 32k -frame_duration 20)
# Hold music: a slow, soft C-major arpeggio with a gentle tremolo, 16 s, loops cleanly.
ffmpeg -v error -y \
  -f lavfi -i "aevalsrc='0.25*sin(2*PI*(261.63*(1+floor(mod(t,4)/1)*0.25))*t)*(0.6+0.4*sin(2*PI*0.5*t))':s=48000:d=16" \
  -af "afade=t=in:d=0.3,afade=t=out:st=15.7:d=0.3" "${opus[@]}" public/audio/hold-music.ogg
# Ringback (North American): 440 + 480 Hz, 2 s on, 4 s off.
ffmpeg -v error -y \
  -f lavfi -i "aevalsrc='if(lt(mod(t,6),2),0.2*sin(2*PI*440*t)+0.2*sin(2*PI*480*t),0)':s=48000:d=6" \
  "${opus[@]}" public/audio/ringback.ogg
ls -l public/audio
