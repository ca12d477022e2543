"""Xieshang (协商): the working platform of people's political consultative conferences."""
