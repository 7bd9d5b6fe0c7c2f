import { expect } from 'chai';
import { publicUrlFrom, sandboxAddressLike } from '../../dev/public-url';

describe('npm start: one public address', () => {
  it('defaults to http://localhost:PORT and takes PUBLIC_URL without a trailing slash', () => {
    expect(publicUrlFrom({}, 3000)).to.equal('http://localhost:3000');
    expect(publicUrlFrom({ PUBLIC_URL: '  ' }, 3000)).to.equal('http://localhost:3000');
    expect(publicUrlFrom({ PUBLIC_URL: 'http://127.0.0.1:3000/' }, 3000)).to.equal('http://127.0.0.1:3000');
    expect(publicUrlFrom({ PUBLIC_URL: 'https://Work.Example.com/work/' }, 3000)).to.equal('https://work.example.com/work');
  });

  it('refuses a PUBLIC_URL that is not an absolute http(s) address, saying what is expected', () => {
    expect(() => publicUrlFrom({ PUBLIC_URL: 'localhost:3000' }, 3000)).to.throw(/PUBLIC_URL must start with http:\/\/ or https:\/\//);
    expect(() => publicUrlFrom({ PUBLIC_URL: '/work' }, 3000)).to.throw(/PUBLIC_URL must be an absolute http\(s\) address such as http:\/\/localhost:3000/);
  });

  it('prints the sandbox in the same host form as the stand-in when both are on this machine', () => {
    expect(sandboxAddressLike('http://localhost:3000', 'http://127.0.0.1:4010')).to.equal('http://localhost:4010');
    expect(sandboxAddressLike('http://127.0.0.1:3000', 'http://127.0.0.1:4010')).to.equal('http://127.0.0.1:4010');
    expect(sandboxAddressLike('https://work.example.com', 'http://127.0.0.1:4010')).to.equal('http://127.0.0.1:4010');
  });
});
