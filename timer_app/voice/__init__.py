"""Voice commands ("timer, pause"): offline recognition in a process of its own.

``spotter`` turns 16 kHz audio into heard command words (pocketsphinx, loaded only there);
``listen`` is the process that reads the default PulseAudio source and runs the spotter;
``availability`` says whether the option can be offered on this machine.
"""
